/**
 * `nvidia-smi nvlink -s` (`--status`) → links per GPU, and what changed since the previous read as
 * Signals, pure. Recorded outputs (fixtures/SOURCES.md): 8×A100 SXM4 (12 links at `25 GB/s`, space
 * indented), H100 SXM (18 links at `26.562 GB/s`, tab indented), and the two words of a GPU
 * without links: "Device does not have or support Nvlink" (RTX 4080 SUPER, L40S) and "NVML: Unable
 * to retrieve Nvlink information as all links are inActive" (RTX 2080 SUPER without a bridge).
 * How a single link that is down is printed is not in any recorded output (driver sources print
 * `<inactive>`, unverified here), so any link text that is not a speed counts as "not up" and is
 * kept verbatim as evidence. A link that was up and is not any more, and a link slower than the
 * GPU's others, are the signals; a GPU that never had links says nothing.
 */
import type { Signal } from '../../core/diagnosis/types.js';

export interface NvlinkLink {
  link: number;
  /** GB/s when the link is up. */
  gbps?: number;
  /** The line as printed, trimmed. */
  raw: string;
}

export interface NvlinkGpu {
  index: number;
  uuid?: string;
  /** The `GPU n: …` header line. */
  header: string;
  links: NvlinkLink[];
  /** The tool's words when it lists no links (no NVLink, or all inactive). */
  none?: string;
}

export interface NvlinkStatus {
  gpus: NvlinkGpu[];
  /** Lines that fit no known form. */
  unknown: string[];
}

const GPU_LINE = /^GPU\s+(\d+):.*?(?:\(UUID:\s*([^)\s]+)\))?\s*$/;
const LINK_LINE = /^Link\s+(\d+):\s*(.*)$/;
const SPEED = /^(\d+(?:\.\d+)?)\s*GB\/s$/;
const NO_LINKS = /does not have or support nvlink|all links are inactive/i;

export function parseNvlinkStatus(text: string): NvlinkStatus {
  const out: NvlinkStatus = { gpus: [], unknown: [] };
  let gpu: NvlinkGpu | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const g = GPU_LINE.exec(line);
    if (g) {
      gpu = { index: Number(g[1]), header: line, links: [] };
      if (g[2] !== undefined) gpu.uuid = g[2];
      out.gpus.push(gpu);
      continue;
    }
    const l = gpu && LINK_LINE.exec(line);
    if (gpu && l) {
      const speed = SPEED.exec(l[2]!.trim());
      const link: NvlinkLink = { link: Number(l[1]), raw: line };
      if (speed) link.gbps = Number(speed[1]);
      gpu.links.push(link);
      continue;
    }
    if (gpu && NO_LINKS.test(line)) {
      gpu.none = line;
      continue;
    }
    out.unknown.push(line);
  }
  return out;
}

/** Links up (with a speed) of one GPU. */
export function upLinks(gpu: NvlinkGpu): NvlinkLink[] {
  return gpu.links.filter((l) => l.gbps !== undefined);
}

/**
 * Signals for one GPU between two reads: `down` when fewer links are up than before (value: up
 * now, limit: up before; evidence: the lines of the links that went, or the tool's words),
 * `speed` for each up link slower than the GPU's fastest (value and limit in GB/s), reported once
 * per new slow speed. `device` is the DeviceInfo id (the UUID when the header has one).
 */
export function nvlinkSignals(
  current: NvlinkGpu,
  previous: NvlinkGpu | undefined,
  t: number,
  device: string,
): Signal[] {
  const out: Signal[] = [];
  const evidence = (text: string): Signal['evidence'] => [
    { ts: t, text: `${current.header} ${text}`, source: 'nvidia-smi nvlink -s' },
  ];
  const up = upLinks(current);
  if (previous !== undefined) {
    const before = upLinks(previous);
    if (up.length < before.length) {
      const nowUp = new Set(up.map((l) => l.link));
      const gone = before.filter((l) => !nowUp.has(l.link)).map((l) => l.link);
      const lines = gone.map(
        (n) => current.links.find((l) => l.link === n)?.raw ?? `Link ${n}: (not listed)`,
      );
      out.push({
        kind: 'nvlink',
        code: 'down',
        ts: t,
        device,
        value: up.length,
        limit: before.length,
        detail: { links: gone.join(',') },
        evidence: evidence(current.none ?? lines.join('; ')),
      });
    }
  }
  const fastest = Math.max(0, ...up.map((l) => l.gbps!));
  const slowBefore = new Map(
    (previous ? upLinks(previous) : []).map((l) => [l.link, l.gbps] as const),
  );
  for (const link of up) {
    if (link.gbps! >= fastest || slowBefore.get(link.link) === link.gbps) continue;
    out.push({
      kind: 'nvlink',
      code: 'speed',
      ts: t,
      device,
      value: link.gbps!,
      limit: fastest,
      detail: { link: link.link },
      evidence: evidence(link.raw),
    });
  }
  return out;
}
