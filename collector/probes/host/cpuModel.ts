/**
 * The CPU model from /proc/cpuinfo. x86 prints "model name"; arm64 kernels print only the MIDR
 * fields ("CPU implementer : 0x48", "CPU part : 0xd01"), so the servers next to Ascend NPUs
 * (Kunpeng) and NVIDIA Grace boards are named from a small table, as `lscpu` does
 * (util-linux sys-utils/lscpu-arm.c).
 */

const ARM_PARTS: Record<string, { vendor: string; parts: Record<string, string> }> = {
  '0x41': {
    vendor: 'ARM',
    parts: {
      '0xd0c': 'Neoverse-N1',
      '0xd40': 'Neoverse-V1',
      '0xd49': 'Neoverse-N2',
      '0xd4f': 'Neoverse-V2',
    },
  },
  '0x48': { vendor: 'HiSilicon', parts: { '0xd01': 'Kunpeng-920' } },
  '0x4e': { vendor: 'NVIDIA', parts: {} },
  '0xc0': { vendor: 'Ampere', parts: {} },
};

/** The first value of each key in the first processor block of /proc/cpuinfo. */
function firstBlock(cpuinfo: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of cpuinfo.split('\n')) {
    if (line.trim() === '') {
      if (fields.size > 0) break;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(key)) fields.set(key, line.slice(colon + 1).trim());
  }
  return fields;
}

export function parseCpuModel(cpuinfo: string): string | undefined {
  const f = firstBlock(cpuinfo);
  // x86 "model name"; POWER "cpu".
  const named = f.get('model name') || f.get('cpu');
  if (named) return named;
  const implementer = f.get('cpu implementer')?.toLowerCase();
  if (implementer === undefined) return undefined;
  const part = f.get('cpu part')?.toLowerCase() ?? '?';
  // Own keys only: "CPU implementer : constructor" must not find Object.prototype's (it threw).
  const known = Object.hasOwn(ARM_PARTS, implementer) ? ARM_PARTS[implementer] : undefined;
  if (known === undefined) return `ARM implementer ${implementer} part ${part}`;
  const name = Object.hasOwn(known.parts, part) ? known.parts[part] : undefined;
  return `${known.vendor} ${name ?? `part ${part}`}`;
}
