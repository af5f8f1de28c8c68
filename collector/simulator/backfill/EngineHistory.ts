/**
 * A past for the simulated engines, written as OpenMetrics text with timestamps, for
 * `promtool tsdb create-blocks-from openmetrics`: the simulator's own engine model (NodeSim →
 * engineSim → latency.ts) stepped once per scrape interval, exposed by its own vLLM/SGLang
 * exposition (exposition/engines.ts), each line stamped with the scrape time. A real Prometheus
 * then holds what it would have scraped from these engines, without waiting a day.
 *
 * Differences from a scrape, on purpose:
 * - No `# HELP`/`# TYPE` lines: TSDB blocks keep no metadata, so promtool would parse and drop
 *   them, and leaving them out lets every interval be written as it is simulated (a family's
 *   lines then interleave across intervals, which promtool 2.42 accepts).
 * - Each engine is its own scrape target, as real engines are: it carries `job` and `instance`
 *   (`<node>:8000`, `:8001` for a second engine on the node; vLLM's default port) beside its own
 *   `model_name` and `engine`, and not the simulator's `cluster`/`node` (those stand in for
 *   relabelling when one /metrics serves a whole fleet; left out, the text is 17 % shorter and
 *   promtool, which costs ~3/4 of the backfill, parses less).
 */
import type { EngineSpec, NodeSpec } from '../fleet.js';
import { buildFleet } from '../fleet.js';
import { addEngine, type VllmNames } from '../exposition/engines.js';
import { Families, type Labels } from '../exposition/promText.js';
import { NodeSim } from '../NodeSim.js';

export interface EngineHistoryOptions {
  /** How many engine instances (the first ones of the fleet that run `framework`). */
  engines: number;
  framework: 'vllm' | 'sglang';
  names: VllmNames;
  /** Simulated time between samples, ms (the scrape interval). */
  stepMs: number;
  /** Wall time of the first sample, ms. */
  startMs: number;
  seed: number;
  /** Period of the load's daily wave, s; default one real day. */
  daySeconds?: number;
  /** `job` label; default the framework. */
  job?: string;
}

export interface HistoryEngine {
  node: NodeSpec;
  spec: EngineSpec;
  index: number;
  target: Labels;
}

/** Collects every family's lines into one list, in call order, each with a timestamp. */
class StampedLines extends Families {
  readonly lines: string[] = [];
  suffix = '';
  private readonly sink = { push: (...items: string[]) => this.add(items) };

  override family(): string[] {
    return this.sink as unknown as string[];
  }

  private add(items: string[]): number {
    for (const line of items) this.lines.push(line + this.suffix);
    return this.lines.length;
  }
}

export class EngineHistory {
  readonly engines: readonly HistoryEngine[];
  private readonly sims: readonly NodeSim[];
  private tick = 0;

  constructor(readonly options: EngineHistoryOptions) {
    if (!(options.engines > 0)) throw new Error(`engine history: engines ${options.engines} ≤ 0`);
    if (!(options.stepMs >= 1000)) throw new Error(`engine history: step ${options.stepMs} ms`);
    // Each node runs one or two engines, most of them vLLM (fleet.ts): twice as many nodes as
    // engines always holds enough.
    const fleet = buildFleet({
      clusters: 1,
      nodes: 2 * options.engines,
      devicesPerNode: 8,
      seed: options.seed,
    });
    const engines: HistoryEngine[] = [];
    const sims: NodeSim[] = [];
    for (const node of fleet.nodes) {
      if (engines.length >= options.engines) break;
      const picked = node.engines
        .map((spec, index) => ({ spec, index }))
        .filter((e) => e.spec.framework === options.framework)
        .slice(0, options.engines - engines.length);
      if (picked.length === 0) continue;
      sims.push(
        new NodeSim(node, {
          seed: options.seed,
          intervalMs: options.stepMs,
          daySeconds: options.daySeconds ?? 86_400,
          histograms: true,
        }),
      );
      for (const { spec, index } of picked) {
        const target: Labels = [
          ['job', options.job ?? options.framework],
          ['instance', `${node.name}:${8000 + index}`],
        ];
        engines.push({ node, spec, index, target });
      }
    }
    if (engines.length < options.engines) {
      throw new Error(
        `engine history: the fleet of seed ${options.seed} has ${engines.length} ${options.framework} engines, ${options.engines} asked`,
      );
    }
    this.engines = engines;
    this.sims = sims;
  }

  /** Wall time of the next sample, ms. */
  get nextMs(): number {
    return this.options.startMs + this.tick * this.options.stepMs;
  }

  /**
   * Steps the model up to (not including) `untilMs` and hands the lines of each interval to
   * `write` (one call per interval, newline-terminated). Returns the samples written.
   */
  writeUntil(untilMs: number, write: (text: string) => void): number {
    const out = new StampedLines();
    const bySim = new Map<NodeSpec, NodeSim>(this.sims.map((s) => [s.spec, s]));
    let samples = 0;
    while (this.nextMs < untilMs) {
      const ts = this.nextMs;
      this.tick++;
      for (const sim of this.sims) sim.step(this.tick, ts);
      // OpenMetrics timestamps are seconds; steps of whole seconds print as integers.
      out.suffix = ` ${ts / 1000}`;
      for (const e of this.engines) {
        const sim = bySim.get(e.node)!;
        addEngine(out, e.spec, sim.engines[e.index]!, this.options.names, e.target);
      }
      samples += out.lines.length;
      write(out.lines.join('\n') + '\n');
      out.lines.length = 0;
    }
    return samples;
  }
}
