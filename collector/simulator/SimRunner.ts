/**
 * Runs a Simulator in real time: one tick per interval on a drift-free schedule (tick k is due at
 * start + k·interval; a tick more than one interval late is skipped, not bunched), every message of
 * a tick published without waiting, a status line every 10 s, fault commands from NATS
 * (`osprey.sim.control`) and from stdin lines, and /metrics when asked. While NATS is unreachable
 * nothing is queued — the simulator is a live source, and old ticks are worth nothing — and after a
 * reconnect every node re-announces its inventory.
 */
import type { Msg, NatsConnection, Subscription } from '@nats-io/nats-core';

import { guarded, thrownText } from '../core/guarded.js';
import { subjectFor } from '../core/protocol/subjects.js';
import { connectNats, describeServers, type NatsClientOptions } from '../outputs/nats/connect.js';
import { errorText } from '../outputs/nats/linkStatus.js';
import {
  nodeExposition,
  simulatorExposition,
  type ExpositionOptions,
} from './exposition/exposition.js';
import type { VllmNames } from './exposition/engines.js';
import { FaultSpecError, parseFaultCommand, type FaultCommand } from './faultSpec.js';
import { MetricsServer } from './MetricsServer.js';
import { rateLine, type RateWindow } from './rateLine.js';
import { Simulator, type SimulatorOptions } from './Simulator.js';

export const CONTROL_SUBJECT = 'osprey.sim.control';

export interface SimRunnerOptions {
  simulator: SimulatorOptions;
  nats?: NatsClientOptions;
  connect?: (o: NatsClientOptions) => Promise<NatsConnection>;
  metrics?: {
    host: string;
    port: number;
    names: VllmNames;
    /** Exporter choices beyond the naming generation (exposition.ts) */
    exposition?: Omit<ExpositionOptions, 'names'>;
  };
  statsEveryMs?: number;
  log: (line: string) => void;
}

type Window = Omit<RateWindow, 'nodes' | 'ms' | 'meanTickMs'> & { ticks: number; tickMs: number };

const emptyWindow = (): Window => ({
  messages: 0,
  samples: 0,
  bytes: 0,
  maxLagMs: 0,
  dropped: 0,
  skipped: 0,
  ticks: 0,
  tickMs: 0,
});

export class SimRunner {
  readonly simulator: Simulator;
  private nc: NatsConnection | undefined;
  private connected = false;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private metricsServer: MetricsServer | undefined;
  private window = emptyWindow();
  private windowStart = 0;
  private startAt = 0;
  private due = 0;
  /** Totals since start (messages published, messages dropped, commands applied). */
  readonly totals = { ticks: 0, messages: 0, dropped: 0, commands: 0 };

  constructor(private readonly opts: SimRunnerOptions) {
    this.simulator = new Simulator({ ...opts.simulator, histograms: opts.metrics !== undefined });
  }

  /** Starts serving and ticking; resolves with the /metrics base URL when one is served. */
  async start(): Promise<{ metricsUrl?: string }> {
    let metricsUrl: string | undefined;
    if (this.opts.metrics) {
      const o: ExpositionOptions = {
        ...this.opts.metrics.exposition,
        names: this.opts.metrics.names,
      };
      this.metricsServer = new MetricsServer({
        host: this.opts.metrics.host,
        port: this.opts.metrics.port,
        render: () => simulatorExposition(this.simulator, o),
        renderNode: (node) => nodeExposition(this.simulator, o, node),
      });
      metricsUrl = await this.metricsServer.listen();
    }
    // One attempt before the first tick, so a reachable server gets the fleet from tick one; an
    // unreachable one does not hold the simulation up.
    if (this.opts.nats) await this.connectLoop(this.opts.nats, true);
    this.startAt = performance.now();
    this.windowStart = this.startAt;
    this.due = 0;
    this.schedule();
    const every = this.opts.statsEveryMs ?? 10_000;
    this.statsTimer = setInterval(() => this.report(), every);
    return metricsUrl === undefined ? {} : { metricsUrl };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.statsTimer) clearInterval(this.statsTimer);
    await this.metricsServer?.close();
    const nc = this.nc;
    this.nc = undefined;
    if (nc) {
      // Let what is written leave; a dead server must not hold up shutdown.
      await Promise.race([nc.flush().catch(() => {}), sleep(1000)]);
      await nc.close().catch(() => {});
    }
  }

  /** Applies a command now (from NATS, stdin or a test); returns a problem or undefined. */
  command(text: string, source: string): string | undefined {
    let cmd: FaultCommand;
    try {
      cmd = parseFaultCommand(text);
    } catch (error) {
      if (error instanceof FaultSpecError) return error.message;
      throw error;
    }
    const problem = this.simulator.command(cmd);
    if (problem) return problem;
    this.totals.commands += 1;
    const where = cmd.device === undefined ? 'every device' : `device ${cmd.device}`;
    this.opts.log(`sim: ${cmd.kind} on ${cmd.node} ${where} (${source})`);
    return undefined;
  }

  private schedule(): void {
    if (this.stopped) return;
    const interval = this.opts.simulator.intervalMs;
    const wait = this.startAt + this.due * interval - performance.now();
    this.timer = setTimeout(() => this.tick(), Math.max(0, wait));
  }

  private tick(): void {
    if (this.stopped) return;
    const interval = this.opts.simulator.intervalMs;
    const began = performance.now();
    let lag = began - (this.startAt + this.due * interval);
    // More than one interval behind: skip the missed ticks rather than bunch them up.
    while (lag > interval) {
      this.due += 1;
      this.window.skipped += 1;
      lag -= interval;
    }
    this.window.maxLagMs = Math.max(this.window.maxLagMs, lag);
    const out = this.simulator.tick(Date.now());
    const publishing = this.opts.nats !== undefined;
    const nc = this.connected ? this.nc : undefined;
    for (const m of out) {
      if (publishing && !nc) {
        this.drop();
        continue;
      }
      try {
        nc?.publish(m.subject, m.data);
      } catch (error) {
        this.drop();
        if (this.window.dropped === 1) this.opts.log(`sim: publish failed: ${errorText(error)}`);
        continue;
      }
      // Without NATS (only /metrics) these count what was produced.
      this.window.messages += 1;
      this.totals.messages += 1;
      this.window.bytes += m.data.byteLength;
      if (m.type === 'metrics') this.window.samples += m.count;
    }
    this.totals.ticks += 1;
    this.window.ticks += 1;
    this.window.tickMs += performance.now() - began;
    this.due += 1;
    this.schedule();
  }

  private drop(): void {
    this.window.dropped += 1;
    this.totals.dropped += 1;
  }

  private report(): void {
    const now = performance.now();
    const w = this.window;
    this.opts.log(
      rateLine({
        ...w,
        nodes: this.simulator.nodes.length,
        ms: now - this.windowStart,
        meanTickMs: w.ticks > 0 ? w.tickMs / w.ticks : 0,
      }),
    );
    this.window = emptyWindow();
    this.windowStart = now;
  }

  private async connectLoop(client: NatsClientOptions, once = false): Promise<void> {
    const connect = this.opts.connect ?? connectNats;
    const servers = describeServers(client.servers);
    while (!this.stopped) {
      try {
        const nc = await connect({ name: 'osprey-simulator', ...client });
        if (this.stopped) {
          await nc.close();
          return;
        }
        this.nc = nc;
        this.connected = true;
        this.listen(nc, nc.subscribe(CONTROL_SUBJECT));
        // The SUB must reach the server before start() resolves and the line below is printed:
        // a command sent right after either found "no responders" on a loaded CI machine.
        await Promise.race([nc.flush().catch(() => {}), sleep(2000)]);
        this.opts.log(`sim: publishing to ${servers}; fault commands on ${CONTROL_SUBJECT}`);
        void this.watch(nc, servers);
        void this.keepEventHistory(nc);
        return;
      } catch (error) {
        this.opts.log(`sim: cannot reach ${servers} (${errorText(error)}), retrying`);
        if (once) {
          void this.connectLoop(client);
          return;
        }
        await sleep(2000);
      }
    }
  }

  /**
   * The stream OSPREY_EVENTS, as a node agent makes it (EventStream.ts), so simulated faults are
   * kept for consoles that connect later exactly as real ones are.
   */
  private async keepEventHistory(nc: NatsConnection): Promise<void> {
    const { ensureEventStream, eventHistoryStatus } =
      await import('../outputs/nats/EventStream.js');
    const { DEFAULT_EVENT_STREAM_LIMITS } = await import('../core/protocol/eventStream.js');
    const node = this.simulator.fleet.nodes[0];
    if (!node) return;
    const subject = subjectFor('events', node.cluster, node.name);
    const result = await ensureEventStream(nc, DEFAULT_EVENT_STREAM_LIMITS, subject);
    this.opts.log(`sim: ${eventHistoryStatus(result, Date.now()).message}`);
  }

  private listen(nc: NatsConnection, sub: Subscription): void {
    // A throw in this loop's body would end the subscription (and, as an unhandled rejection,
    // the process): one bad command is logged and answered, and the next one is read.
    const handle = guarded(
      (msg: Msg) => {
        const problem = this.command(msg.string(), `NATS ${CONTROL_SUBJECT}`);
        if (problem) this.opts.log(`sim: command refused: ${problem}`);
        this.reply(nc, msg, problem);
      },
      (error, [msg]) => {
        const problem = `command failed: ${thrownText(error)}`;
        this.opts.log(`sim: ${problem}`);
        this.reply(nc, msg, problem);
      },
    );
    void (async () => {
      try {
        for await (const msg of sub) handle(msg);
      } catch (error) {
        this.opts.log(`sim: fault commands on ${CONTROL_SUBJECT} stopped: ${thrownText(error)}`);
      }
    })();
  }

  private reply(nc: NatsConnection, msg: Msg, problem: string | undefined): void {
    if (!msg.reply) return;
    nc.publish(msg.reply, JSON.stringify(problem ? { ok: false, error: problem } : { ok: true }));
  }

  private async watch(nc: NatsConnection, servers: string): Promise<void> {
    for await (const s of nc.status()) {
      if (this.stopped) return;
      if (s.type === 'disconnect') {
        this.connected = false;
        this.opts.log(
          `sim: disconnected from ${servers}, reconnecting (ticks are dropped meanwhile)`,
        );
      } else if (s.type === 'reconnect') {
        this.connected = true;
        this.simulator.reannounce();
        this.opts.log(`sim: reconnected to ${servers}`);
      }
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
