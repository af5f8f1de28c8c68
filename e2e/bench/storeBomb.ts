/**
 * The Node half of the bounded-console check (issue 10): a 48-node series bomb (each node's
 * valid grid asks for 65,536 series; two messages a node, as the 95 messages of the issue) and a
 * good 8-GPU node sending throughout, fed through the real NATS source (FakeNatsClient for the
 * socket) into a fleet store on timers, as the page does. Measures the heap and typed arrays
 * after a full GC, the longest task the source's slices took, and whether the good node stayed
 * current. Run by storeBomb.mjs.
 */
import { PerformanceObserver } from 'node:perf_hooks';

import type { ConnectionConfig } from '../../collector/core/connections/schema.js';
import { subjectToken } from '../../collector/core/protocol/subjects.js';
import type { FrameScheduler } from '../../renderer/src/sources/FrameBatcher.js';
import { NatsSource } from '../../renderer/src/sources/NatsSource.js';
import { FLEET_STORE_OPTIONS, LiveStore } from '../../renderer/src/store/LiveStore.js';
import { FakeConnector } from '../../renderer/src/testing/FakeNatsClient.js';
import { bombMetrics, bombNodeName } from '../../renderer/src/testing/seriesBomb.js';
import { syntheticInventory, syntheticMetrics } from '../../renderer/src/testing/syntheticFleet.js';

export interface BombOptions {
  nodes: number;
  messagesPerNode: number;
  /**
   * Create every series a message asks for at once (no per-batch pacing): how much the store
   * holds once its budget is full, which paced creation takes minutes of bombing to reach.
   */
  unpaced: boolean;
}

export interface BombResult {
  messages: number;
  megabytes: number;
  heapUsedMB: number;
  arrayBuffersMB: number;
  heapBeforeMB: number;
  seriesHeld: number;
  refusedText: string[];
  longestTaskMs: number;
  /** Of the longest task, the time V8 spent collecting garbage inside it. */
  longestTaskGcMs: number;
  tasksOver50ms: number;
  /**
   * The most CPU one task used (the process's, all threads): what it would take on an idle core,
   * where wall time on a loaded machine includes waiting for one.
   */
  mostTaskCpuMs: number;
  tasksOver50msCpu: number;
  secondsToDrain: number;
  goodNodeAgeMs: number;
}

const connection: ConnectionConfig = {
  id: 'bench',
  name: 'bench',
  kind: 'nats',
  natsUrl: 'ws://127.0.0.1:1',
  auth: 'none',
  cluster: 'bench',
};

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export async function runStoreBomb(opts: BombOptions): Promise<BombResult> {
  const tasks: Array<{ start: number; end: number; cpuMs: number }> = [];
  const gcs: Array<{ start: number; end: number }> = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      gcs.push({ start: e.startTime, end: e.startTime + e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  // A task is one timer callback: what a browser would see as a task on the main thread.
  const timed = (callback: () => void) => () => {
    const start = performance.now();
    const cpu = process.cpuUsage();
    callback();
    const used = process.cpuUsage(cpu);
    tasks.push({ start, end: performance.now(), cpuMs: (used.user + used.system) / 1000 });
  };
  const scheduler: FrameScheduler = {
    requestFrame(callback) {
      const id = setTimeout(timed(callback), 16);
      return () => clearTimeout(id);
    },
    setTimer(callback, ms) {
      const id = setTimeout(timed(callback), ms);
      return () => clearTimeout(id);
    },
  };
  const connector = new FakeConnector();
  const source = new NatsSource({
    connection,
    secret: null,
    connect: connector.connect,
    scheduler,
  });
  const store = new LiveStore(
    opts.unpaced
      ? { ...FLEET_STORE_OPTIONS, workClock: undefined, limits: { newSeriesPerBatch: 1 << 30 } }
      : FLEET_STORE_OPTIONS,
  );
  source.subscribe((batch) => store.ingest(batch));
  source.start();
  await new Promise((r) => setTimeout(r, 0));
  const nats = connector.last();
  const fleet = { cluster: 'bench', devicesPerNode: 8, interval: 500, encoding: 'grids' as const };
  const good = syntheticInventory(0, Date.now(), fleet);
  const goodSubject = (type: string) => `osprey.v1.${type}.bench.${subjectToken(good.node)}`;
  nats.deliver(goodSubject('inventory'), JSON.stringify(good));
  gc();
  const heapBefore = process.memoryUsage().heapUsed;

  const encoder = new TextEncoder();
  let bytes = 0;
  let messages = 0;
  const start = Date.now();
  let tick = 0;
  const sendGood = () => {
    const ts = Date.now();
    nats.deliver(goodSubject('metrics'), JSON.stringify(syntheticMetrics(0, tick++, ts, fleet)));
  };
  // Every bomber sends once a second, all at the same instant (one socket read); the good node
  // sends at 2 Hz throughout. Messages are encoded ahead, so encoding is not in the tasks.
  const rounds: Uint8Array[][] = [];
  for (let m = 0; m < opts.messagesPerNode; m++) {
    rounds.push(
      Array.from({ length: opts.nodes }, (_, i) =>
        encoder.encode(JSON.stringify(bombMetrics(bombNodeName(i), start + m * 1000, 'bench'))),
      ),
    );
  }
  for (const round of rounds) {
    round.forEach((data, i) => {
      bytes += data.byteLength;
      messages += 1;
      nats.deliver(`osprey.v1.metrics.bench.${bombNodeName(i)}`, data);
    });
    for (let half = 0; half < 2; half++) {
      sendGood();
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  while (source.backlog.messages > 0) {
    sendGood();
    await new Promise((r) => setTimeout(r, 500));
  }
  const drained = Date.now();
  // The bench's own copies of the messages are not the console's memory.
  rounds.length = 0;
  for (let i = 0; i < 4; i++) {
    sendGood();
    await new Promise((r) => setTimeout(r, 500));
  }
  const goodState = store.node(good.node);
  const goodAge =
    goodState?.lastTs === undefined ? Number.POSITIVE_INFINITY : Date.now() - goodState.lastTs;
  gc();
  const memory = process.memoryUsage();
  const report = store.budgetReport;
  source.stop();
  // GC entries arrive asynchronously: attribute them to tasks once all are in.
  await new Promise((r) => setTimeout(r, 100));
  observer.disconnect();
  const ms = (t: { start: number; end: number }) => t.end - t.start;
  const longest = tasks.reduce((a, b) => (ms(b) > ms(a) ? b : a), { start: 0, end: 0, cpuMs: 0 });
  const mostCpu = Math.max(0, ...tasks.map((t) => t.cpuMs));
  const gcIn = (t: { start: number; end: number }) =>
    gcs.filter((g) => g.start >= t.start && g.end <= t.end).reduce((n, g) => n + ms(g), 0);
  return {
    messages,
    megabytes: mb(bytes),
    heapBeforeMB: mb(heapBefore),
    heapUsedMB: mb(memory.heapUsed),
    arrayBuffersMB: mb(memory.arrayBuffers),
    seriesHeld: report.series,
    refusedText: store.problems().map((p) => p.message),
    longestTaskMs: Math.round(ms(longest) * 10) / 10,
    longestTaskGcMs: Math.round(gcIn(longest) * 10) / 10,
    tasksOver50ms: tasks.filter((t) => ms(t) > 50).length,
    mostTaskCpuMs: Math.round(mostCpu * 10) / 10,
    tasksOver50msCpu: tasks.filter((t) => t.cpuMs > 50).length,
    secondsToDrain: Math.round((drained - start) / 100) / 10,
    goodNodeAgeMs: Math.round(goodAge),
  };
}
