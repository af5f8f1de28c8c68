import { describe, expect, it } from 'vitest';

import { ASCEND_FAULT_CODES, ASCEND_LEVELS } from './ascendFaultCodes.js';
import { diagnose } from './diagnose.js';
import type { KnownIssue } from './knownIssues.js';
import { ascendNode, nvidiaNode, xid } from './testContext.js';
import type { Signal } from './types.js';
import { NVSENTINEL_XID_ROWS, RESOLUTION_BUCKET, XID_CATALOG_URL, xidEntry } from './xidCatalog.js';

const T = 1_764_000_000_000;

describe('Xid rules', () => {
  it('Xid 79: critical, fell off the bus, reboot the node, catalog ref', () => {
    const d = diagnose(xid(79, 3, T, 'GPU has fallen off the bus.'), nvidiaNode);
    expect(d).toMatchObject({
      severity: 'critical',
      title: 'GPU 3 fell off the PCIe bus (Xid 79)',
      device: 'GPU-3',
      deviceLabel: 'GPU 3 (NVIDIA H100 80GB HBM3)',
      kind: 'xid',
      code: '79',
      impact: 'GPU unusable until the node is rebooted; every engine on it stops serving',
      count: 1,
      ts: T,
      lastTs: T,
      node: 'node-017',
      ref: {
        catalog: 'nvsentinel-xid',
        id: '79',
        name: 'ROBUST_CHANNEL_GPU_HAS_FALLEN_OFF_THE_BUS',
        url: XID_CATALOG_URL,
      },
    });
    expect(d.action.bucket).toBe(RESOLUTION_BUCKET[xidEntry(79)!.resolution]);
    expect(d.action.bucket).toBe('reboot-node');
    expect(d.action.steps.join('\n')).toMatch(/Reboot the node/);
    expect(d.evidence[0]!.text).toContain('Xid (PCI:0000:48:00): 79');
  });

  it('maps a device by its PCI address when the signal names no device', () => {
    const s = xid(79, 2, T);
    delete s.device;
    expect(diagnose(s, nvidiaNode)).toMatchObject({
      device: 'GPU-2',
      title: expect.stringMatching(/^GPU 2 /),
    });
  });

  it('every catalog row: FATAL → critical, its bucket from the resolution word', () => {
    for (const [code, , resolution, cls] of NVSENTINEL_XID_ROWS) {
      const d = diagnose(xid(code, 1, T), nvidiaNode);
      if (cls === 'FATAL') expect(d.severity, `Xid ${code}`).toBe('critical');
      else expect(['error', 'warning'], `Xid ${code}`).toContain(d.severity);
      const bucket = RESOLUTION_BUCKET[resolution.trim()] ?? 'watch';
      expect(d.action.bucket, `Xid ${code}`).toBe(bucket);
      expect(d.ref).toMatchObject({ catalog: 'nvsentinel-xid', id: String(code) });
      expect(d.title, `Xid ${code}`).toMatch(new RegExp(`^GPU 1 .*Xid ${code}`));
    }
  });

  it('NONFATAL RESTART_APP (13) is an error for the application; IGNORE (43) a warning', () => {
    const x13 = diagnose(xid(13, 1, T), nvidiaNode);
    expect(x13).toMatchObject({ severity: 'error', action: { bucket: 'restart-app' } });
    expect(x13.impact).toBe('Requests on this device fail; the engine process must restart');
    expect(diagnose(xid(43, 1, T), nvidiaNode)).toMatchObject({
      severity: 'warning',
      action: { bucket: 'watch' },
    });
  });

  it('one of each bucket: RESET_GPU 46, UNEXPECTED 1, UPDATE_SWFW 78, CHECK_MECHANICALS 54, RESTART_VM 151', () => {
    const bucket = (c: number) => diagnose(xid(c, 1, T), nvidiaNode).action.bucket;
    expect([46, 1, 78, 54, 151].map(bucket)).toEqual([
      'reset-device',
      'contact-vendor',
      'update-software',
      'check-hardware',
      'reboot-node',
    ]);
  });

  it('a GPU reset is offered straight away only when no process holds the GPU', () => {
    const idle = diagnose(xid(46, 0, T), nvidiaNode).action.steps;
    expect(idle[0]).toBe('No process holds GPU 0: reset it with `nvidia-smi -r -i 0`');
    const busy = diagnose(xid(46, 1, T), nvidiaNode).action.steps;
    expect(busy[0]).toBe('Stop the 1 process holding GPU 1 first (drain the engines on it)');
    expect(busy[1]).toBe('Then reset it: `nvidia-smi -r -i 1`');
    const unknown = {
      ...nvidiaNode,
      devices: nvidiaNode.devices.map((d) => ({ ...d, processes: undefined })),
    };
    expect(diagnose(xid(46, 1, T), unknown).action.steps[0]).toMatch(
      /^Check that no process holds GPU 1/,
    );
  });

  it('workflows are spelled out: 48 checks row remapping, 74 and 149 check NVLinks, 45 follows', () => {
    const x48 = diagnose(xid(48, 1, T), nvidiaNode);
    expect(x48).toMatchObject({
      severity: 'critical',
      title: 'GPU 1 had a double-bit ECC error (Xid 48)',
    });
    expect(x48.action.steps[0]).toContain('nvidia-smi -q -d ROW_REMAPPER -i 1');
    for (const c of [74, 149]) {
      expect(diagnose(xid(c, 1, T), nvidiaNode).action.steps[0]).toContain(
        'nvidia-smi nvlink -s -i 1',
      );
    }
    expect(diagnose(xid(45, 1, T), nvidiaNode).action).toMatchObject({
      bucket: 'none',
      summary: 'Follow the advice of the Xid before it on this GPU',
    });
  });

  it('names the MIG instance and the process the kernel line gives', () => {
    const s = { ...xid(13, 1, T), detail: { gi: 1, ci: 0, pid: 4242, process: 'python3' } };
    const d = diagnose(s, nvidiaNode);
    expect(d.title).toBe(
      'GPU 1 (MIG GPU instance 1, compute instance 0) had a graphics engine exception (Xid 13)',
    );
    expect(d.cause).toMatch(/The kernel names the process: python3, pid 4242\.$/);
  });

  it('an Xid outside the catalog is a warning to report, not a guess', () => {
    expect(diagnose(xid(999, 1, T), nvidiaNode)).toMatchObject({
      severity: 'warning',
      action: { bucket: 'contact-vendor' },
      ref: { id: '999' },
    });
  });
});

describe('kernel lines without an Xid', () => {
  const base = { ts: T, pci: '0000:48:00', evidence: [{ ts: T, text: 'line', source: 'kmsg' }] };
  it('fallen-off-bus reads like Xid 79, gsp-timeout like Xid 119', () => {
    expect(diagnose({ ...base, kind: 'fallen-off-bus' }, nvidiaNode)).toMatchObject({
      severity: 'critical',
      title: 'GPU 3 fell off the PCIe bus',
      action: { bucket: 'reboot-node' },
      ref: { id: '79' },
    });
    expect(diagnose({ ...base, kind: 'gsp-timeout' }, nvidiaNode)).toMatchObject({
      severity: 'critical',
      action: { bucket: 'reset-device' },
      ref: { id: '119', name: 'GSP_RPC_TIMEOUT' },
    });
  });
  it('PCIe AER by its severity', () => {
    const aer = (code: string) =>
      diagnose({ ...base, kind: 'pcie-aer', code }, nvidiaNode).severity;
    expect(['corrected', 'nonfatal', 'fatal'].map(aer)).toEqual(['info', 'error', 'critical']);
  });
  it('SXid fatal vs non-fatal; Ascend driver lines are warnings', () => {
    expect(
      diagnose({ ...base, kind: 'sxid', code: '20034', detail: { severity: 'fatal' } }, nvidiaNode)
        .severity,
    ).toBe('critical');
    expect(diagnose({ ...base, kind: 'sxid', code: '11004' }, nvidiaNode).severity).toBe('warning');
    expect(
      diagnose({ ts: T, kind: 'ascend-driver', code: 'devmm', evidence: [] }, ascendNode).severity,
    ).toBe('warning');
  });
});

describe('Ascend fault levels', () => {
  it('each level: the first code of its list gets the level’s severity, bucket and name', () => {
    for (const level of ASCEND_LEVELS) {
      const code = ASCEND_FAULT_CODES[level.level].find(
        (c) =>
          !Object.entries(ASCEND_FAULT_CODES).some(
            ([l, cs]) => l !== level.level && (cs as readonly string[]).includes(c),
          ),
      )!;
      const s: Signal = {
        kind: 'npu-fault',
        ts: T,
        device: 'ascend:2:0',
        code: `0x${code}`,
        evidence: [],
      };
      const d = diagnose(s, ascendNode);
      expect(d, level.level).toMatchObject({
        severity: level.severity,
        action: { bucket: level.bucket, summary: level.summary },
        ref: { catalog: 'ascend-fault-code', id: `0x${code}`, name: level.level },
        deviceLabel: 'NPU 2 chip 0 (910B3)',
      });
      expect(d.title).toMatch(new RegExp(`^NPU 2 chip 0 reported fault 0x${code} `));
    }
  });
  it('RestartNPUCodes: npu-smi reset of that NPU', () => {
    const d = diagnose(
      { kind: 'npu-fault', ts: T, device: 'ascend:2:0', code: '0x80E24E00', evidence: [] },
      ascendNode,
    );
    expect(d.severity).toBe('critical');
    expect(d.action.steps).toContain('Reset it: `npu-smi set -t reset -i 2`');
  });
  it('npu-smi health words map through the one vocabulary (Alarm → error)', () => {
    const h = (value: number) =>
      diagnose(
        { kind: 'npu-health', ts: T, device: 'ascend:1:0', value, evidence: [] },
        ascendNode,
      );
    expect([0, 1, 2, 3].map((v) => h(v).severity)).toEqual([
      'info',
      'warning',
      'error',
      'critical',
    ]);
    expect(h(2).title).toBe('NPU 1 chip 0 health is Alarm (npu-smi)');
  });
});

describe('value rules', () => {
  const s = (kind: Signal['kind'], code: string, value?: number, limit?: number): Signal => ({
    kind,
    code,
    ts: T,
    device: 'GPU-3',
    evidence: [],
    ...(value !== undefined && { value }),
    ...(limit !== undefined && { limit }),
  });
  it('remap pending → reset, failure → critical contact vendor', () => {
    expect(diagnose(s('remap', 'pending', 1), nvidiaNode)).toMatchObject({
      severity: 'warning',
      action: { bucket: 'reset-device' },
    });
    expect(diagnose(s('remap', 'failure', 1), nvidiaNode)).toMatchObject({
      severity: 'critical',
      action: { bucket: 'contact-vendor' },
    });
  });
  it('PCIe link trained down, temperature, power, throttle, ECC, persistence', () => {
    expect(diagnose(s('pcie-link', 'width', 8, 16), nvidiaNode).title).toBe(
      'GPU 3 PCIe link trained down: x8 of x16',
    );
    expect(diagnose(s('temperature', 'shutdown', 92, 92), nvidiaNode).severity).toBe('critical');
    expect(diagnose(s('temperature', 'slowdown', 88, 87), nvidiaNode)).toMatchObject({
      severity: 'warning',
      action: { bucket: 'check-hardware' },
    });
    expect(diagnose(s('power', 'cap-below-default', 500, 700), nvidiaNode).action.steps).toEqual([
      '`nvidia-smi -pl 700 -i 3`',
    ]);
    expect(diagnose(s('throttle', 'hw_thermal_slowdown', 25, 30), nvidiaNode).title).toBe(
      'GPU 3 clocks held back: hardware thermal slowdown for 25 s of the last 30 s',
    );
    expect(diagnose(s('ecc', 'uncorrected.volatile', 2), nvidiaNode)).toMatchObject({
      severity: 'error',
      action: { bucket: 'reset-device' },
    });
    expect(diagnose(s('ecc', 'corrected.volatile', 20), nvidiaNode).severity).toBe('info');
    expect(diagnose(s('persistence', 'disabled', 0), nvidiaNode).action.steps).toEqual([
      '`nvidia-smi -pm 1 -i 3`',
    ]);
  });
});

describe('known issues shipped', () => {
  const on = (driver: string) => ({
    ...nvidiaNode,
    devices: nvidiaNode.devices.map((d) => ({ ...d, driver })),
  });
  it('NVIDIA 525 release notes: Xid 119 on 525 drivers before 525.105.17 → update the driver', () => {
    const hit = diagnose(xid(119, 1, T), on('525.85.12'));
    expect(hit.action.bucket).toBe('update-software');
    expect(hit.action.steps[0]).toBe(
      'Update the driver to 525.105.17 or later (the release with the fix)',
    );
    expect(hit.ref).toMatchObject({
      catalog: 'osprey-known-issue',
      id: 'nvidia-525-gsp-rpc-timeout',
    });
    const gsp = diagnose(
      { kind: 'gsp-timeout', ts: T, device: 'GPU-1', evidence: [] },
      on('525.60.13'),
    );
    expect(gsp.ref.id).toBe('nvidia-525-gsp-rpc-timeout');
  });
  it('not on 525.105.17, nor on 520 or 590 drivers', () => {
    for (const driver of ['525.105.17', '520.61.05', '590.48.01']) {
      expect(diagnose(xid(119, 1, T), on(driver)).ref.catalog, driver).toBe('nvsentinel-xid');
    }
  });
});

describe('known issues (mechanism; the rule below is an EXAMPLE, not a vendor fact)', () => {
  const example: KnownIssue = {
    id: 'example-driver-range',
    vendor: 'nvidia',
    model: 'H100',
    driver: { min: '590.0', below: '590.49' },
    kinds: ['xid'],
    codes: ['119'],
    note: 'EXAMPLE note for the test.',
    steps: ['EXAMPLE step'],
    bucket: 'update-software',
    source: 'test',
  };
  it('applies to a device whose driver is in the range, not outside it', () => {
    const hit = diagnose(xid(119, 1, T), nvidiaNode, [example]);
    expect(hit.action).toMatchObject({
      bucket: 'update-software',
      steps: expect.arrayContaining(['EXAMPLE step']),
    });
    expect(hit.cause).toContain('EXAMPLE note for the test.');
    expect(hit.ref).toEqual({
      catalog: 'osprey-known-issue',
      id: 'example-driver-range',
      url: 'test',
    });
    const newer = {
      ...nvidiaNode,
      devices: nvidiaNode.devices.map((d) => ({ ...d, driver: '595.71.05' })),
    };
    expect(diagnose(xid(119, 1, T), newer, [example]).ref.catalog).toBe('nvsentinel-xid');
    expect(diagnose(xid(79, 1, T), nvidiaNode, [example]).ref.catalog).toBe('nvsentinel-xid');
  });
});
