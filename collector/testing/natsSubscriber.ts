/**
 * A plain NATS subscriber for integration tests: what a console would receive on a cluster's
 * subjects, decoded with the one decoder. It reconnects faster than the agent (50 ms against the
 * agent's ≥1 s) so after a server restart it is listening again before the agent republishes.
 */
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import WebSocket from 'ws';

import { decodeMessage } from '../core/protocol/decode.js';
import type { InventoryMessage, WireMessage } from '../core/protocol/spec.js';
import { clusterSubscription } from '../core/protocol/subjects.js';
import { natsConnectionOptions, type NatsClientOptions } from '../outputs/nats/connect.js';

export interface Received {
  subject: string;
  message: WireMessage;
}

export interface ClusterSubscriber {
  received: Received[];
  problems: string[];
  nc: NatsConnection;
  close(): Promise<void>;
}

export async function subscribeCluster(
  client: NatsClientOptions,
  cluster: string,
): Promise<ClusterSubscriber> {
  const nc = await connect({
    ...natsConnectionOptions({ ...client, name: 'osprey-test-subscriber' }),
    reconnectTimeWait: 50,
    reconnectJitter: 0,
    reconnectJitterTLS: 0,
  });
  const received: Received[] = [];
  const problems: string[] = [];
  nc.subscribe(clusterSubscription(cluster), {
    callback: (err, msg) => {
      if (err) return void problems.push(err.message);
      const r = decodeMessage(msg.data);
      if (r.ok) received.push({ subject: msg.subject, message: r.message });
      else problems.push(`${msg.subject}: ${r.problem.message}`);
    },
  });
  await nc.flush();
  return { received, problems, nc, close: () => nc.close() };
}

/** The first message `/stream` sends: the node's current inventory (and then closes). */
export async function streamInventory(url: string, token: string): Promise<InventoryMessage> {
  const messages = await streamUntil(url, token, (m) => m.length >= 1);
  const first = messages[0];
  if (first?.type !== 'inventory') throw new Error(`/stream began with ${first?.type}`);
  return first;
}

/** Messages from `/stream` (inventory, backlog, live) until `done` says enough. */
export function streamUntil(
  url: string,
  token: string,
  done: (messages: WireMessage[]) => boolean,
  timeoutMs = 10_000,
): Promise<WireMessage[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace('http', 'ws') + '/stream', [
      'osprey.v1',
      `token.${token}`,
    ]);
    const messages: WireMessage[] = [];
    const timer = setTimeout(() => {
      ws.close();
      reject(new Error(`/stream: condition not met in ${timeoutMs} ms`));
    }, timeoutMs);
    ws.on('message', (data) => {
      const r = decodeMessage(String(data));
      if (!r.ok) return reject(new Error(r.problem.message));
      messages.push(r.message);
      if (done(messages)) {
        clearTimeout(timer);
        ws.close();
        resolve(messages);
      }
    });
    ws.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
