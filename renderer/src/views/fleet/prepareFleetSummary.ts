/**
 * The cluster at a glance: devices by health, mean utilization, device memory used of total, and
 * total power, each with its unit and with the number of devices that gave no current value
 * (stale values and values while the source is not live count as none).
 *
 * Health is counted by each device's last known value, fresh or not (a lost device is critical): a GPU that went critical does
 * not become "no data" because nats-server was down for 26 s. Stale ones are counted apart, with
 * the age of the oldest, so the bar says "2 Critical (stale 26 s)".
 */
import { formatBytes, formatNumber, formatValue } from '../../lib/format.js';
import { isStale } from '../../../../collector/core/time/stale.js';
import { deviceHealth, HEALTH_LABEL } from './fleetMetrics.js';
import { fleetDevices } from './prepareFleetLayout.js';
import type { FleetReader, Health } from './types.js';

export interface SummaryStat {
  /** "54.3 %", "182 TiB", "2.14 MW"; "no current data" when no device gave a value. */
  text: string;
  /** What the value is out of: "of 320 TiB (57 %)". */
  detail?: string;
  /** Devices that gave a current value, and those that did not. */
  withData: number;
  noData: number;
}

/** Devices of one health whose value is stale (older than 2 intervals, or the source not live). */
export interface StaleHealth {
  count: number;
  /** Age of the oldest of them (ms). */
  ageMs: number;
}

export interface FleetSummary {
  nodes: number;
  devices: number;
  /** Devices per last known health, stale or not; `unknown` counts those with no health value. */
  health: Record<Health, number>;
  /** Of those, the stale ones per health. */
  stale: Record<Health, StaleHealth>;
  utilization: SummaryStat;
  memory: SummaryStat;
  power: SummaryStat;
}

/** Watts as people say them for racks and halls: "640 W", "12.4 kW", "2.14 MW". */
export function formatPower(watts: number): string {
  if (watts >= 1e6) return `${formatNumber(watts / 1e6)} MW`;
  if (watts >= 1e3) return `${formatNumber(watts / 1e3)} kW`;
  return `${formatNumber(watts)} W`;
}

export function prepareFleetSummary(reader: FleetReader, now: number, live: boolean): FleetSummary {
  const health: Record<Health, number> = { ok: 0, warning: 0, error: 0, critical: 0, unknown: 0 };
  const stale: Record<Health, StaleHealth> = {
    ok: { count: 0, ageMs: 0 },
    warning: { count: 0, ageMs: 0 },
    error: { count: 0, ageMs: 0 },
    critical: { count: 0, ageMs: 0 },
    unknown: { count: 0, ageMs: 0 },
  };
  let nodes = 0;
  let devices = 0;
  const util = { sum: 0, n: 0 };
  const mem = { used: 0, total: 0, n: 0 };
  const power = { sum: 0, n: 0 };
  for (const state of reader.nodes()) {
    const list = fleetDevices(reader, state);
    if (list.length === 0) continue;
    nodes += 1;
    const current = (metric: string, device: string): number | undefined => {
      const s = reader.find(state.node, metric, device);
      if (!s || Number.isNaN(s.value) || !live) return undefined;
      return isStale(reader.ageOf(state.node, s.time, now), state.interval) ? undefined : s.value;
    };
    for (const d of list) {
      devices += 1;
      const h = reader.find(state.node, 'device.health', d.id);
      const known = deviceHealth(reader, state.node, d);
      health[known] += 1;
      if (h !== undefined && known !== 'unknown') {
        const age = reader.ageOf(state.node, h.time, now);
        if (!live || isStale(age, state.interval)) {
          stale[known].count += 1;
          if (Number.isFinite(age)) stale[known].ageMs = Math.max(stale[known].ageMs, age);
        }
      }
      const u = current('device.utilization', d.id);
      if (u !== undefined) {
        util.sum += u;
        util.n += 1;
      }
      const used = current('device.memory.used', d.id);
      const total = current('device.memory.total', d.id) ?? d.memoryTotalBytes;
      if (used !== undefined && total !== undefined) {
        mem.used += used;
        mem.total += total;
        mem.n += 1;
      }
      const p = current('device.power', d.id);
      if (p !== undefined) {
        power.sum += p;
        power.n += 1;
      }
    }
  }
  const stat = (n: number, text: string, detail?: string): SummaryStat => {
    if (n === 0) return { text: 'no current data', withData: 0, noData: devices };
    return detail === undefined
      ? { text, withData: n, noData: devices - n }
      : { text, detail, withData: n, noData: devices - n };
  };
  return {
    nodes,
    devices,
    health,
    stale,
    utilization: stat(util.n, formatValue(util.sum / Math.max(1, util.n), 'percent')),
    memory: stat(
      mem.n,
      formatBytes(mem.used),
      `of ${formatBytes(mem.total)} (${formatValue((100 * mem.used) / Math.max(1, mem.total), 'percent')})`,
    ),
    power: stat(power.n, formatPower(power.sum)),
  };
}

/** "2 Critical (stale 26 s)", "5 OK (2 stale, up to 3 min)", "30 OK". */
export function healthText(summary: FleetSummary, health: Health): string {
  const note = staleNote(summary, health);
  const text = `${summary.health[health].toLocaleString('en')} ${HEALTH_LABEL[health]}`;
  return note === undefined ? text : `${text} ${note}`;
}

/** "(stale 26 s)" when all of a health's devices are stale, "(2 stale, up to 26 s)" when some. */
export function staleNote(summary: FleetSummary, health: Health): string | undefined {
  const { count, ageMs } = summary.stale[health];
  if (count === 0) return undefined;
  const age = formatSpan(ageMs);
  return count === summary.health[health]
    ? `(stale ${age})`
    : `(${count.toLocaleString('en')} stale, up to ${age})`;
}

/** "26 s", "3 min", "2 h": how long a value has not been renewed. */
function formatSpan(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s} s`;
  const min = Math.floor(s / 60);
  return min < 120 ? `${min} min` : `${Math.floor(min / 60)} h`;
}
