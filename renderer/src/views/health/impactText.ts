/**
 * An incident's impact on inference in words: a row per engine of its node (before → after) and
 * one sentence — "GPU 3 fell off the PCIe bus on node-017 at 14:02:11; engine llama-70b-tp8 on
 * that node stopped serving (no values since 14:02:10); drain the node and reboot it."
 */
import { displayName } from '../../lib/displayName.js';
import { formatValue } from '../../lib/format.js';
import { bucketWords } from '../../../../collector/core/diagnosis/words.js';
import type { StoredDiagnosis } from '../../lib/health/storedDiagnoses.js';
import { clockTime } from './diagnosisView.js';
import type { EngineImpact, Window } from './engineImpact.js';

export interface ImpactRow {
  engine: string;
  model: string;
  state: EngineImpact['state'];
  stateWord: string;
  running: string;
  waiting: string;
  ttftP50: string;
  ttftP99: string;
  /**
   * Aborted and errored requests as a share of those finished, before → after; "no data" when the
   * engine does not count finished requests by reason (distinct from 0 %), "—" when none finished.
   */
  errorRate: string;
  errorRateNoData: boolean;
  /** The PromQL behind the row's numbers where they are Prometheus's (an incident older than the store). */
  prometheus?: string | undefined;
}

const IMPACT_WORDS: Record<EngineImpact['state'], string> = {
  stopped: 'stopped serving',
  stalled: 'stopped serving',
  slowed: 'slowed down',
  serving: 'kept serving',
  unknown: 'no values after it yet',
};

const count = (v: number | null): string =>
  v === null ? '—' : formatValue(Math.round(v), 'count');
const seconds = (v: number | null): string => (v === null ? '—' : formatValue(v, 'seconds'));
const pair = (b: string, a: string): string => (b === a ? a : `${b} → ${a}`);
const percent = (v: number | null): string => (v === null ? '—' : formatValue(v, 'percent'));
const errorRate = (e: EngineImpact): string =>
  e.countsFailures ? pair(percent(e.before.errorRate), percent(e.after.errorRate)) : 'no data';

export function impactRow(e: EngineImpact): ImpactRow {
  const b: Window = e.before;
  const a: Window = e.after;
  return {
    engine: displayName(e.engine),
    model: displayName(e.model),
    state: e.state,
    stateWord: IMPACT_WORDS[e.state],
    running: pair(count(b.running), count(a.running)),
    waiting: pair(count(b.waiting), count(a.waiting)),
    ttftP50: pair(seconds(b.ttftP50), seconds(a.ttftP50)),
    ttftP99: pair(seconds(b.ttftP99), seconds(a.ttftP99)),
    errorRate: errorRate(e),
    errorRateNoData: !e.countsFailures,
    ...(e.prometheus ? { prometheus: e.prometheus.queries.join('\n') } : {}),
  };
}

/** Engines named in the sentence; the table lists them all. */
const SENTENCE_ENGINES = 3;

/**
 * "GPU 3 fell off the PCIe bus on node-017 at 14:02:11; engine llama-70b-tp8 on that node stopped
 * serving (running 0, waiting 120); drain and reboot the node."
 */
export function impactSentence(
  d: StoredDiagnosis,
  nodeText: string,
  ts: number,
  engines: readonly EngineImpact[],
): string {
  const what = `${displayName(d.title)} on ${nodeText} at ${clockTime(ts)}`;
  let serving: string;
  if (engines.length === 0) {
    serving = 'no engine on that node reports to this console';
  } else if (engines.length === 1) {
    serving = engineClause(engines[0]!, ' on that node');
  } else {
    // The hurt ones one by one, with their numbers; the rest by name.
    const hurt = engines.filter((e) => e.state !== 'serving' && e.state !== 'unknown');
    const fine = engines.filter((e) => e.state === 'serving');
    const silent = engines.filter((e) => e.state === 'unknown');
    const clauses = hurt.slice(0, SENTENCE_ENGINES).map((e) => engineClause(e, ''));
    if (hurt.length > SENTENCE_ENGINES) {
      clauses.push(`${hurt.length - SENTENCE_ENGINES} more engines were hit`);
    }
    if (fine.length === 1) clauses.push(engineClause(fine[0]!, ''));
    else if (fine.length > 1) clauses.push(`engines ${names(fine)} kept serving`);
    if (silent.length === 1) clauses.push(engineClause(silent[0]!, ''));
    else if (silent.length > 1)
      clauses.push(`engines ${names(silent)} sent no values after it yet`);
    serving = clauses.join(', ');
  }
  const bucket = bucketWords(d.action.bucket);
  const todo = d.action.summary ? displayName(d.action.summary) : bucket;
  const advice =
    todo && d.action.bucket !== 'none' ? `; ${todo.charAt(0).toLowerCase()}${todo.slice(1)}` : '';
  return `${what}; ${serving}${advice.replace(/\.$/, '')}.`;
}

/** "a, b and c", "a, b, c and 4 more". */
function names(list: readonly EngineImpact[]): string {
  const shown = list.slice(0, SENTENCE_ENGINES).map((e) => displayName(e.engine));
  const more = list.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

/** ", error rate 0.5 % → 100 %" when the engine counts failures and either window has a rate. */
function errorWords(e: EngineImpact): string {
  if (!e.countsFailures || (e.before.errorRate === null && e.after.errorRate === null)) return '';
  return `, error rate ${errorRate(e)}`;
}

function engineClause(e: EngineImpact, where: string): string {
  const name = `engine ${displayName(e.engine)}${where}`;
  const a = e.after;
  const err = errorWords(e);
  switch (e.state) {
    case 'stopped':
      return e.lastReportedAt === undefined
        ? `${name} stopped serving (no values after it${err})`
        : `${name} stopped serving (no values since ${clockTime(e.lastReportedAt)}${err})`;
    case 'stalled':
      return `${name} stopped serving (running ${count(a.running)}, waiting ${count(a.waiting)}${err})`;
    case 'slowed':
      return `${name} slowed down (TTFT p99 ${seconds(e.before.ttftP99)} → ${seconds(a.ttftP99)}${err})`;
    case 'serving':
      return `${name} kept serving (running ${count(a.running)}, waiting ${count(a.waiting)}${err})`;
    case 'unknown':
      return `${name} sent no values after it yet`;
  }
}
