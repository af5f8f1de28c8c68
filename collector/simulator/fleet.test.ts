import { describe, expect, it } from 'vitest';

import { buildFleet, deviceCount } from './fleet.js';
import { HARDWARE } from './hardware.js';

const UUID = /^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('buildFleet', () => {
  const fleet = buildFleet({ clusters: 2, nodes: 64, devicesPerNode: 8, seed: 5 });

  it('names clusters and nodes, numbering nodes across the fleet', () => {
    expect(fleet.clusters).toEqual(['sim-0', 'sim-1']);
    expect(fleet.nodes).toHaveLength(128);
    expect(fleet.nodes[0]).toMatchObject({ cluster: 'sim-0', name: 'node-000', index: 0 });
    expect(fleet.nodes[64]).toMatchObject({ cluster: 'sim-1', name: 'node-064', index: 64 });
    expect(new Set(fleet.nodes.map((n) => n.name)).size).toBe(128);
    expect(deviceCount(fleet)).toBe(1024);
  });

  it('widens node numbers past 1,000 nodes', () => {
    const big = buildFleet({ clusters: 1, nodes: 1200, devicesPerNode: 1, seed: 1 });
    expect(big.nodes[0]!.name).toBe('node-0000');
    expect(big.nodes[1199]!.name).toBe('node-1199');
  });

  it('mixes NVIDIA and Ascend nodes, each node one model', () => {
    const names = new Set(fleet.nodes.map((n) => n.devices[0]!.info.name));
    expect([...names].sort()).toEqual(
      Object.values(HARDWARE)
        .map((h) => h.name)
        .sort(),
    );
    for (const n of fleet.nodes) expect(new Set(n.devices.map((d) => d.info.name)).size).toBe(1);
  });

  it('gives NVIDIA devices unique UUIDs as ids and Ascend chips vendor:index:chip ids', () => {
    const ids = fleet.nodes.flatMap((n) => n.devices.map((d) => d.info.id));
    const nvidia = fleet.nodes.flatMap((n) => n.devices).filter((d) => d.info.vendor === 'nvidia');
    expect(nvidia.length).toBeGreaterThan(0);
    for (const d of nvidia) {
      expect(d.info.id).toMatch(UUID);
      expect(d.info.uuid).toBe(d.info.id);
      expect(d.info.pciBusId).toMatch(/^00000000:[0-9A-F]{2}:00\.0$/);
    }
    expect(new Set(nvidia.map((d) => d.info.id)).size).toBe(nvidia.length);
    const ascend = fleet.nodes.find((n) => n.devices[0]!.info.vendor === 'ascend')!;
    expect(ascend.devices.map((d) => d.info.id)).toEqual(
      Array.from({ length: 8 }, (_, i) => `ascend:${i}:0`),
    );
    expect(ascend.host.arch).toBe('aarch64');
    expect(ids.length).toBe(1024);
  });

  it('carries each model’s memory and power in the inventory', () => {
    for (const n of fleet.nodes) {
      for (const d of n.devices) expect(d.info.memoryTotalBytes).toBe(d.hw.memoryMiB * 1024 * 1024);
    }
    const h100 = fleet.nodes.flatMap((n) => n.devices).find((d) => d.info.name.includes('H100'));
    expect(h100?.hw).toMatchObject({ memoryMiB: 81559, powerLimitW: 700, maxClockMHz: 1980 });
  });

  it('spreads engines over disjoint device groups, with ids unique per node', () => {
    let sglang = 0;
    for (const n of fleet.nodes) {
      expect(n.engines.length).toBeGreaterThanOrEqual(1);
      const used = n.engines.flatMap((e) => e.devices);
      expect(new Set(used).size).toBe(used.length);
      expect(used.every((d) => d >= 0 && d < n.devices.length)).toBe(true);
      expect(new Set(n.engines.map((e) => e.id)).size).toBe(n.engines.length);
      for (const e of n.engines) {
        expect(e.id).toMatch(/^(vllm|sglang)-\d$/);
        if (e.framework === 'sglang') {
          sglang++;
          expect(n.devices[0]!.info.vendor).toBe('nvidia');
        }
      }
    }
    expect(sglang).toBeGreaterThan(0);
  });

  it('is the same for the same seed and differs for another', () => {
    const again = buildFleet({ clusters: 2, nodes: 64, devicesPerNode: 8, seed: 5 });
    expect(again).toEqual(fleet);
    const other = buildFleet({ clusters: 2, nodes: 64, devicesPerNode: 8, seed: 6 });
    expect(other.nodes[0]!.devices[0]!.info.id).not.toBe(fleet.nodes[0]!.devices[0]!.info.id);
  });

  it('keeps a node the same whatever the fleet size around it', () => {
    const small = buildFleet({ clusters: 1, nodes: 3, devicesPerNode: 8, seed: 5 });
    expect(small.nodes[2]).toEqual(fleet.nodes[2]);
  });

  it('handles one device per node', () => {
    const tiny = buildFleet({ clusters: 1, nodes: 4, devicesPerNode: 1, seed: 9 });
    for (const n of tiny.nodes) expect(n.engines.map((e) => e.devices)).toEqual([[0]]);
  });
});
