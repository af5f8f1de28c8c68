/** A node of eight H100s and an Ascend node, as the tests of the rules see them. */
import type { NodeContext, Signal } from './types.js';

export const H100 = 'NVIDIA H100 80GB HBM3';

export const nvidiaNode: NodeContext = {
  cluster: 'c1',
  node: 'node-017',
  devices: Array.from({ length: 8 }, (_, i) => ({
    id: `GPU-${i}`,
    vendor: 'nvidia',
    index: i,
    model: H100,
    driver: '590.48.01',
    pciBusId: `00000000:${(0x18 + i * 0x10).toString(16).toUpperCase()}:00.0`,
    processes: i === 0 ? 0 : 1,
  })),
};

export const ascendNode: NodeContext = {
  node: 'npu-003',
  devices: Array.from({ length: 8 }, (_, i) => ({
    id: `ascend:${i}:0`,
    vendor: 'ascend',
    index: i,
    chip: 0,
    model: '910B3',
  })),
};

export function xid(code: number, gpu: number, ts: number, text?: string): Signal {
  const pci = `0000:${(0x18 + gpu * 0x10).toString(16)}:00`;
  return {
    kind: 'xid',
    ts,
    device: `GPU-${gpu}`,
    pci,
    code: String(code),
    evidence: [
      {
        ts,
        text: `NVRM: Xid (PCI:${pci}): ${code}, pid='<unknown>', name=<unknown>, ${text ?? 'test'}`,
        source: 'kmsg',
      },
    ],
  };
}
