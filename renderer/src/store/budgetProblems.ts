/**
 * What the store refused or evicted to stay within its budget (StoreBudget), in words, as problems
 * of the connection: the header's problems list shows them beside the source's own, and the fleet
 * view beside its device count. Pure.
 */
import type { SourceProblem } from '../sources/Source.js';
import type { BudgetReport } from './StoreBudget.js';

const KiB = 1024;
const MiB = 1024 * KiB;

function n(value: number): string {
  return value.toLocaleString('en');
}

/** 256 MiB, 8 KiB: limits are set in whole units (budget.ts). */
function size(bytes: number): string {
  return bytes >= MiB ? `${n(Math.round(bytes / MiB))} MiB` : `${n(Math.round(bytes / KiB))} KiB`;
}

function plural(value: number, one: string, many = `${one}s`): string {
  return `${n(value)} ${value === 1 ? one : many}`;
}

/**
 * One problem per kind that happened: samples refused (series or bytes budget), messages of new
 * nodes refused (node budget), inventories refused, nodes evicted, samples past one node's own
 * limit. Counts are messages (nodes for evictions); the text carries the totals.
 */
export function budgetProblems(
  report: BudgetReport,
  droppedSamples: number,
  perNodeLimit: number,
): SourceProblem[] {
  const out: SourceProblem[] = [];
  const { limits } = report;
  const refusedAt = report.lastRefusedAt ?? 0;
  if (report.refusedSamples > 0) {
    const limit =
      report.refusedBy === 'series'
        ? `${n(limits.maxSeries)} series`
        : report.refusedBy === 'large'
          ? `${n(limits.maxSeries)} series, ${n(limits.maxSeries - limits.reservedSeries)} of them from nodes of over ${n(limits.largeNodeSeries)}`
          : `${size(limits.maxHistoryBytes)} of series history`;
    out.push({
      key: 'store:series',
      message: `${plural(report.refusedSamples, 'sample')} refused: the console holds at most ${limit} (${plural(report.refusedNodes, 'node')} refused, sending up to ${n(report.largestSender)} series a message)`,
      count: report.refusedSampleMessages,
      lastAt: refusedAt,
    });
  }
  if (report.refusedNodeMessages > 0) {
    out.push({
      key: 'store:nodes',
      message: `${plural(report.refusedNodeMessages, 'message')} from new nodes refused: the console holds at most ${n(limits.maxNodes)} nodes`,
      count: report.refusedNodeMessages,
      lastAt: refusedAt,
    });
  }
  if (report.refusedInventories > 0) {
    out.push({
      key: 'store:inventories',
      message: `${plural(report.refusedInventories, 'inventory', 'inventories')} refused: the console holds at most ${size(limits.maxInventoryBytes)} of inventories`,
      count: report.refusedInventories,
      lastAt: refusedAt,
    });
  }
  if (report.evictedNodes > 0) {
    out.push({
      key: 'store:evicted',
      message: `${plural(report.evictedNodes, 'node')} evicted (${plural(report.evictedSeries, 'series', 'series')}) to make room: the least recently seen, silent for ${n(limits.evictableAfterMs / 1000)} s, never one on screen`,
      count: report.evictedNodes,
      lastAt: report.lastEvictedAt ?? 0,
    });
  }
  if (droppedSamples > 0) {
    out.push({
      key: 'store:per-node',
      message: `${plural(droppedSamples, 'sample')} dropped: a node sent more than ${n(perNodeLimit)} series`,
      count: droppedSamples,
      lastAt: refusedAt,
    });
  }
  return out;
}
