/**
 * The Node half of the bounded-console check (issue 10): a 48-node series bomb (each node's
 * valid grid asks for 65,536 series; two messages a node, as the 95 messages of the issue) and a
 * good 8-GPU node sending throughout, fed through the real NATS source (FakeNatsClient for the
 * socket) into a fleet store on timers, as the page does. Measures the heap and typed arrays
 * after a full GC, the longest task the source's slices took, and whether the good node stayed
 * current. Run by storeBomb.mjs.
 */
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
  tasksOver50ms: number;
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
  const tasks: number[] = [];
  // A task is one timer callback: what a browser would see as a task on the main thread.
  const timed = (callback: () => void) => () => {
    const t0 = performance.now();
    callback();
    tasks.push(performance.now() - t0);
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
  const store = new LiveStore(FLEET_STORE_OPTIONS);
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
  // Every bomb message arrives at once (one socket read), then the good node goes on at 2 Hz.
  for (let m = 0; m < opts.messagesPerNode; m++) {
    for (let i = 0; i < opts.nodes; i++) {
      const node = bombNodeName(i);
      const data = encoder.encode(JSON.stringify(bombMetrics(node, start + m * 1000, 'bench')));
      bytes += data.byteLength;
      messages += 1;
      nats.deliver(`osprey.v1.metrics.bench.${node}`, data);
    }
  }
  let tick = 0;
  const sendGood = () => {
    const ts = Date.now();
    nats.deliver(goodSubject('metrics'), JSON.stringify(syntheticMetrics(0, tick++, ts, fleet)));
  };
  while (source.backlog.messages > 0) {
    sendGood();
    await new Promise((r) => setTimeout(r, 500));
  }
  const drained = Date.now();
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
  return {
    messages,
    megabytes: mb(bytes),
    heapBeforeMB: mb(heapBefore),
    heapUsedMB: mb(memory.heapUsed),
    arrayBuffersMB: mb(memory.arrayBuffers),
    seriesHeld: report.series,
    refusedText: store.problems().map((p) => p.message),
    longestTaskMs: Math.round(Math.max(...tasks) * 10) / 10,
    tasksOver50ms: tasks.filter((t) => t > 50).length,
    secondsToDrain: Math.round((drained - start) / 100) / 10,
    goodNodeAgeMs: Math.round(goodAge),
  };
}
