/**
 * Ring buffers → the host charts: CPU %, memory %, network receive/transmit summed over the node's
 * interfaces, and disk read/write summed over its disks. Times are moved onto the local clock so the newest point sits at "now".
 */
import type { MetricUnit } from '../../../../collector/core/catalog.js';
import { formatBytes, formatValue } from '../../lib/format.js';
import type { LiveStore, SeriesState } from '../../store/LiveStore.js';

export type HostReader = Pick<LiveStore, 'node' | 'series' | 'latest'>;
export type Point = [number, number | null];

export interface HostSeries {
  name: string;
  points: Point[];
  /** Newest value (null when the newest point had none). */
  latest: number | null;
}

export interface HostChart {
  id: 'cpu' | 'memory' | 'network' | 'disk';
  title: string;
  unit: MetricUnit;
  series: HostSeries[];
  /** Fixed y range for shares (0–100 %); open-ended otherwise. */
  yMax?: number;
  /** The newest values in words, shown beside the title: "23 %", "↓ 1.2 MB/s ↑ 310 kB/s". */
  summary: string;
  /** Points in the longest series (absent values included), for tests and the accessible label. */
  pointCount: number;
  /** Whether any point carries a number; without one there is nothing to draw. */
  hasValues: boolean;
  /** The time axis (local ms): at least a minute, growing with the data up to HOST_WINDOW_MS. */
  timeRange?: [number, number];
}

/** Ten minutes, the ring buffers' reach at 1 Hz. */
export const HOST_WINDOW_MS = 10 * 60_000;
/**
 * The shortest time axis. A fresh console has seconds of data; stretching those across the chart
 * would rescale the axis on every tick, so new points enter from the right of a minute instead.
 */
export const MIN_WINDOW_MS = 60_000;

/** Loopback traffic never leaves the machine; counting it would inflate "network". */
const IGNORED_INTERFACES = new Set(['lo']);

export function prepareHostCharts(reader: HostReader, node: string): HostChart[] {
  const state = reader.node(node);
  const offset = state?.clockOffset ?? 0;
  const since = (state?.lastTs ?? 0) - HOST_WINDOW_MS;
  const toLocal = (points: Point[]): Point[] => points.map(([t, v]) => [t + offset, v]);
  const history = (metric: string): Point[] =>
    toLocal(reader.series(node, metric)[0]?.history.toPoints(since) ?? []);

  const cpu = history('host.cpu.utilization');
  const memory = memoryPercent(reader, node, history);
  const rx = toLocal(sumInterfaces(reader.series(node, 'host.network.receive'), since));
  const tx = toLocal(sumInterfaces(reader.series(node, 'host.network.transmit'), since));
  const read = toLocal(sumLabelled(reader.series(node, 'host.disk.read'), since));
  const write = toLocal(sumLabelled(reader.series(node, 'host.disk.write'), since));

  const memUsed = reader.latest(node, 'host.memory.used')?.v;
  const memTotal = reader.latest(node, 'host.memory.total')?.v ?? state?.host?.memoryTotalBytes;
  const memDetail =
    typeof memUsed === 'number' && memTotal
      ? ` · ${formatBytes(memUsed)} of ${formatBytes(memTotal)}`
      : '';
  return [
    chart('cpu', 'CPU', 'percent', [series('CPU', cpu)], 100, (s) => pct(s[0]!.latest)),
    chart(
      'memory',
      'Memory',
      'percent',
      [series('Used', memory)],
      100,
      (s) => pct(s[0]!.latest) + memDetail,
    ),
    chart(
      'network',
      'Network',
      'bytes/s',
      [series('Receive', rx), series('Transmit', tx)],
      undefined,
      (s) => `↓ ${rate(s[0]!.latest)}  ↑ ${rate(s[1]!.latest)}`,
    ),
    chart(
      'disk',
      'Disk',
      'bytes/s',
      [series('Read', read), series('Write', write)],
      undefined,
      (s) => `read ${rate(s[0]!.latest)}  write ${rate(s[1]!.latest)}`,
    ),
  ];
}

function memoryPercent(reader: HostReader, node: string, history: (m: string) => Point[]): Point[] {
  const usage = history('host.memory.usage');
  if (usage.length > 0) return usage;
  const total =
    reader.latest(node, 'host.memory.total')?.v ?? reader.node(node)?.host?.memoryTotalBytes;
  if (!total) return [];
  return history('host.memory.used').map(([t, v]) => [t, v === null ? null : (100 * v) / total]);
}

/**
 * One point per timestamp: the sum of the interfaces that reported a number then. A time at which
 * none did stays absent rather than becoming 0.
 */
export function sumInterfaces(all: readonly SeriesState[], since: number): Point[] {
  return sumLabelled(
    all.filter((s) => !IGNORED_INTERFACES.has(s.labels.interface ?? '')),
    since,
  );
}

/** The same sum over any labelled series (disks), absent times kept absent. */
export function sumLabelled(all: readonly SeriesState[], since: number): Point[] {
  const sums = new Map<number, number | null>();
  for (const s of all) {
    for (const [t, v] of s.history.toPoints(since)) {
      const prev = sums.get(t) ?? null;
      sums.set(t, v === null ? prev : (prev ?? 0) + v);
    }
  }
  return [...sums.entries()].sort((a, b) => a[0] - b[0]);
}

function series(name: string, points: Point[]): HostSeries {
  return { name, points, latest: points.at(-1)?.[1] ?? null };
}

function chart(
  id: HostChart['id'],
  title: string,
  unit: MetricUnit,
  list: HostSeries[],
  yMax: number | undefined,
  summarise: (s: HostSeries[]) => string,
): HostChart {
  const hasValues = list.some((s) => s.points.some(([, v]) => v !== null));
  const times = list.flatMap((s) => s.points.map(([t]) => t));
  const out: HostChart = {
    id,
    title,
    unit,
    series: list,
    summary: list.every((s) => s.points.length === 0) ? 'no data' : summarise(list),
    pointCount: Math.max(...list.map((s) => s.points.length)),
    hasValues,
  };
  if (times.length > 0) {
    const last = Math.max(...times);
    out.timeRange = [Math.min(Math.min(...times), last - MIN_WINDOW_MS), last];
  }
  if (yMax !== undefined) out.yMax = yMax;
  return out;
}

function pct(v: number | null): string {
  return v === null ? 'no data' : formatValue(v, 'percent');
}

function rate(v: number | null): string {
  return v === null ? 'no data' : formatValue(v, 'bytes/s');
}
