/**
 * Which of the plan's queries the page runs now: every panel's, except that the stage panel
 * shows one percentile at a time and the heatmap one stage at a time (the plan holds all of them,
 * and asking for 9 stage lines and 6 heatmaps nobody sees would triple the server's work).
 */
import type {
  LatencyPlan,
  PanelQuery,
} from '../../../../collector/core/prometheus/latencyQueries.js';
import type { LatencyStage } from '../../../../collector/core/prometheus/families.js';
import type { LatencyPanel } from './types.js';

export interface PanelChoices {
  /** The stage panel's percentile: 0.5, 0.9 or 0.99. */
  stageQuantile: number;
  heatmapStage: LatencyStage;
}

export const DEFAULT_CHOICES: PanelChoices = { stageQuantile: 0.9, heatmapStage: 'ttft' };

export function selectQueries(
  plan: LatencyPlan,
  choices: PanelChoices,
): Map<LatencyPanel, PanelQuery[]> {
  const out = new Map<LatencyPanel, PanelQuery[]>();
  for (const q of plan.queries) {
    if (q.panel === 'stages' && q.quantile !== choices.stageQuantile) continue;
    if (q.panel === 'heatmap' && q.stage !== choices.heatmapStage) continue;
    const list = out.get(q.panel) ?? [];
    list.push(q);
    out.set(q.panel, list);
  }
  return out;
}

/**
 * The reason a panel (or part of it) cannot be filled. Reasons that share an explanation are
 * said once: "no queue, prefill, decode histogram: SGLang exposes …".
 */
export function unavailableReason(plan: LatencyPlan, panel: LatencyPanel): string | undefined {
  const byWhy = new Map<string, string[]>();
  for (const u of plan.unavailable) {
    if (u.panel !== panel) continue;
    const cut = u.reason.indexOf(': ');
    const [what, why] =
      cut < 0 ? [u.reason, ''] : [u.reason.slice(0, cut), u.reason.slice(cut + 2)];
    const list = byWhy.get(why) ?? [];
    if (!list.includes(what)) list.push(what);
    byWhy.set(why, list);
  }
  if (byWhy.size === 0) return undefined;
  return [...byWhy]
    .map(([why, whats]) => {
      const what = whats.length > 1 ? mergeWhats(whats) : whats[0]!;
      return why ? `${what}: ${why}` : what;
    })
    .join('; ');
}

/** "no queue histogram", "no prefill histogram" → "no queue, prefill histogram". */
function mergeWhats(whats: string[]): string {
  const words = whats.map((w) => w.split(' '));
  const same = (i: number) => words.every((w) => w.length === 3 && w[i] === words[0]![i]);
  if (same(0) && same(2))
    return `${words[0]![0]} ${words.map((w) => w[1]).join(', ')} ${words[0]![2]}`;
  return whats.join(', ');
}

/** Heatmap stages the server holds, in the plan's order. */
export function heatmapStages(plan: LatencyPlan): LatencyStage[] {
  return plan.queries.filter((q) => q.panel === 'heatmap' && q.stage).map((q) => q.stage!);
}
