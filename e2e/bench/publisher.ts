/**
 * The benchmark's dedicated publisher: the synthetic fleet's messages (12 device metrics per
 * device, two engines per node: 126 samples a message at 8 devices, packed into grids unless asked
 * otherwise), encoded once per node and
 * variant, then stamped with the time of publishing (`ts`, ms) and a running `seq`. Stamping at
 * the moment of sending is what makes publish→pixel mean what it says; the simulator stamps the
 * tick before it encodes 512 messages.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';

import { sampleCount } from '../../collector/core/protocol/grids.js';
import { subjectFor } from '../../collector/core/protocol/subjects.js';
import { syntheticInventory, syntheticMetrics } from '../../renderer/src/testing/syntheticFleet.js';

export interface PublisherOptions {
  natsUrl: string;
  cluster: string;
  nodes: number;
  devicesPerNode: number;
  rateHz: number;
  /** 'burst': every node at the tick, as the simulator does; 'spread': evenly over the interval. */
  pattern: 'burst' | 'spread';
  /** 'grids' as agents and the simulator send (default); 'samples' one object per value. */
  encoding?: 'samples' | 'grids';
}

export interface Publisher {
  /** Metrics messages and samples published so far. */
  readonly published: { messages: number; samples: number };
  samplesPerMessage: number;
  stop(): Promise<void>;
}

const VARIANTS = 8;
const TS = 1_111_111_111_111;
const SEQ = 987_654_321;
const INVENTORY_EVERY_MS = 5000;

export async function startPublisher(opts: PublisherOptions): Promise<Publisher> {
  const nc: NatsConnection = await connect({ servers: [opts.natsUrl], name: 'bench-publisher' });
  const interval = 1000 / opts.rateHz;
  const fleet = {
    cluster: opts.cluster,
    devicesPerNode: opts.devicesPerNode,
    interval,
    encoding: opts.encoding ?? 'grids',
  };
  const encoder = new TextEncoder();
  // Per node, VARIANTS encodings split around the ts and seq sentinels.
  const templates = Array.from({ length: opts.nodes }, (_, n) =>
    Array.from({ length: VARIANTS }, (_, v) => {
      const text = JSON.stringify({ ...syntheticMetrics(n, v, TS, fleet), seq: SEQ });
      const [head, rest] = text.split(`"ts":${TS}`) as [string, string];
      const [mid, tail] = rest.split(`"seq":${SEQ}`) as [string, string];
      return [`${head}"ts":`, `${mid}"seq":`, tail] as const;
    }),
  );
  const subjects = Array.from({ length: opts.nodes }, (_, n) =>
    subjectFor('metrics', opts.cluster, syntheticMetrics(n, 0, 0, fleet).node),
  );
  const samplesPerMessage = sampleCount(syntheticMetrics(0, 0, 0, fleet));
  const published = { messages: 0, samples: 0 };
  let seq = 1;
  let tick = 0;

  const inventories = () => {
    for (let n = 0; n < opts.nodes; n++) {
      const inv = syntheticInventory(n, Date.now(), fleet);
      nc.publish(
        subjectFor('inventory', opts.cluster, inv.node),
        encoder.encode(JSON.stringify(inv)),
      );
    }
  };
  const send = (n: number) => {
    const [a, b, c] = templates[n]![tick % VARIANTS]!;
    nc.publish(subjects[n]!, encoder.encode(`${a}${Date.now()}${b}${seq++}${c}`));
    published.messages += 1;
    published.samples += samplesPerMessage;
  };

  inventories();
  const timers: Array<ReturnType<typeof setTimeout>> = [];
  const inventoryTimer = setInterval(inventories, INVENTORY_EVERY_MS);
  const tickTimer = setInterval(() => {
    tick += 1;
    if (opts.pattern === 'burst') {
      for (let n = 0; n < opts.nodes; n++) send(n);
      return;
    }
    // Spread: 16 slices per interval, a 16th of the nodes each.
    const slices = 16;
    const per = Math.ceil(opts.nodes / slices);
    for (let s = 0; s < slices; s++) {
      timers.push(
        setTimeout(
          () => {
            for (let n = s * per; n < Math.min(opts.nodes, (s + 1) * per); n++) send(n);
          },
          (s * interval) / slices,
        ),
      );
    }
    if (timers.length > 4 * slices) timers.splice(0, timers.length - 2 * slices);
  }, interval);

  return {
    published,
    samplesPerMessage,
    async stop() {
      clearInterval(tickTimer);
      clearInterval(inventoryTimer);
      for (const t of timers) clearTimeout(t);
      await nc.drain();
    },
  };
}
