/**
 * nats.js runs subscription callbacks and status iteration inside its reader: a throw that escapes
 * them ends that connection's reading (issue 10). These drive a fake client whose handler throws
 * on one message (a clock that fails once) and check the next message is still handled.
 */
import { describe, expect, it } from 'vitest';

import type { ConnectionConfig } from '../../../collector/core/connections/schema.js';
import { EAGLE_EYE_SUBJECT } from '../../../collector/core/protocol/subjects.js';
import { FakeConnector } from '../testing/FakeNatsClient.js';
import { ManualScheduler } from '../testing/ManualScheduler.js';
import { NatsSource } from './NatsSource.js';
import type { SourceBatch } from './Source.js';

const settle = () => new Promise((r) => setTimeout(r, 0));

const connection: ConnectionConfig = {
  id: 'c1',
  name: 'lab',
  kind: 'nats',
  natsUrl: 'ws://127.0.0.1:8080',
  auth: 'none',
  cluster: 'local',
  eagleEye: { enabled: true },
};

/** Constructed Eagle Eye step (the default mapping's vLLM SchedulerStats names). */
const step = (engine: number) =>
  JSON.stringify({
    engine_id: engine,
    hostname: 'gpu-node-03',
    model_name: 'm',
    num_running_reqs: 1,
    num_waiting_reqs: 0,
    kv_cache_usage: 0.5,
  });

function setup() {
  const scheduler = new ManualScheduler();
  const connector = new FakeConnector();
  let failNext = false;
  const source = new NatsSource({
    connection,
    secret: null,
    connect: connector.connect,
    scheduler,
    // The handler's one failure: the clock throws once when armed.
    now: () => {
      if (failNext) {
        failNext = false;
        throw new Error('clock broke');
      }
      return scheduler.now;
    },
    random: () => 0.5,
    eagleEyeWindowMs: 100,
  });
  const batches: SourceBatch[] = [];
  source.subscribe((b) => batches.push(b));
  return { source, scheduler, connector, batches, arm: () => (failNext = true) };
}

describe('NatsSource keeps reading after a handler throws', () => {
  it('counts a throw in a subscription callback as a problem and handles the next message', async () => {
    const { source, scheduler, connector, batches, arm } = setup();
    source.start();
    await settle();
    const nats = connector.last();
    arm();
    expect(() => nats.deliver(EAGLE_EYE_SUBJECT, step(1))).not.toThrow();
    nats.deliver(EAGLE_EYE_SUBJECT, step(2));
    scheduler.advance(1000);
    scheduler.runFrames();
    const problem = source.status.problems.find((p) => p.key.startsWith('handler:'));
    expect(problem).toMatchObject({
      count: 1,
      message: `a message on ${EAGLE_EYE_SUBJECT} could not be handled: clock broke`,
    });
    const engines = batches
      .flatMap((b) => b.messages)
      .flatMap((m) => (m.type === 'metrics' ? m.samples.map((s) => s.l?.engine) : []));
    expect(new Set(engines)).toEqual(new Set(['2']));
  });

  it('keeps following connection status after a status event whose handling throws', async () => {
    const { source, scheduler, connector, arm } = setup();
    source.start();
    await settle();
    const nats = connector.last();
    arm();
    nats.emitStatus({ type: 'disconnect', server: '127.0.0.1:8080' });
    await settle();
    nats.emitStatus({ type: 'disconnect', server: '127.0.0.1:8080' });
    await settle();
    expect(source.status.presence.state).toBe('reconnecting');
    nats.emitStatus({ type: 'reconnect', server: '127.0.0.1:8080' });
    await settle();
    expect(source.status.presence.state).toBe('live');
    scheduler.advance(1000);
    expect(source.status.problems.map((p) => p.message)).toContain(
      'a connection status event could not be handled: clock broke',
    );
  });
});
