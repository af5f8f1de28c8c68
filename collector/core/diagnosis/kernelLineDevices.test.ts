import { describe, expect, it } from 'vitest';

import type { DeviceInfo } from '../protocol/spec.js';
import { attachDevices } from './kernelLineDevices.js';
import type { Signal } from './types.js';

// Bus ids as nvidia-smi (8-digit domain, upper case) and npu-smi print them.
const devices: DeviceInfo[] = [
  {
    id: 'GPU-aaa',
    vendor: 'nvidia',
    index: 0,
    uuid: 'GPU-aaa',
    name: 'NVIDIA H100 80GB HBM3',
    pciBusId: '00000000:3B:00.0',
  },
  {
    id: 'GPU-bbb',
    vendor: 'nvidia',
    index: 1,
    uuid: 'GPU-bbb',
    name: 'NVIDIA H100 80GB HBM3',
    pciBusId: '00000000:5D:00.0',
  },
  {
    id: 'ascend:1:0',
    vendor: 'ascend',
    index: 1,
    chip: 0,
    name: '910B3',
    pciBusId: '0000:C2:00.0',
  },
  {
    id: 'ascend:0:0',
    vendor: 'ascend',
    index: 0,
    chip: 0,
    name: '910B3',
    pciBusId: '0000:C1:00.0',
  },
];

const sig = (s: Partial<Signal>): Signal => ({ kind: 'xid', ts: 1, evidence: [], ...s });

describe('attachDevices', () => {
  it('maps NVRM addresses to nvidia-smi bus ids, and a UUID named by the driver', () => {
    const out = attachDevices(
      [
        sig({ pci: '0000:5d:00', code: '79' }),
        sig({ pci: '0000:99:00', code: '13', detail: { uuid: 'gpu-AAA' } }),
        sig({ pci: '0000:c2:00', kind: 'pcie-aer', detail: { driver: 'pcieport' } }),
      ],
      devices,
    );
    expect(out.map((s) => s.device)).toEqual(['GPU-bbb', 'GPU-aaa', 'ascend:1:0']);
  });

  it('Ascend driver lines by logical device id: the n-th chip in NPU order', () => {
    const out = attachDevices([sig({ kind: 'ascend-driver', detail: { deviceId: 1 } })], devices);
    expect(out[0]!.device).toBe('ascend:1:0');
  });

  it('keeps unmapped signals node-wide, drops AER lines of non-accelerators', () => {
    const out = attachDevices(
      [
        sig({ kind: 'sxid', pci: '0000:05:00', code: '20034' }),
        sig({ kind: 'pcie-aer', pci: '0000:02:00', detail: { driver: 'nvme' } }),
        sig({ kind: 'pcie-aer', pci: '0000:17:00', detail: { driver: 'nvidia' } }),
      ],
      devices,
    );
    expect(out.map((s) => [s.kind, s.pci, s.device])).toEqual([
      ['sxid', '0000:05:00', undefined],
      ['pcie-aer', '0000:17:00', undefined],
    ]);
  });

  it('a GSP timeout without an address is the GPU of a one-GPU node, of no GPU on a node of two', () => {
    const gsp = sig({ kind: 'gsp-timeout', detail: { message: 'GSP RM heartbeat timed out' } });
    expect(attachDevices([gsp], devices.slice(0, 1))[0]!.device).toBe('GPU-aaa');
    expect(attachDevices([gsp], devices)[0]!.device).toBeUndefined();
  });
});
