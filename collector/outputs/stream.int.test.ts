import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { decodeMessage } from '../core/protocol/decode.js';
import { metricsSamples } from '../core/protocol/grids.js';
import type { WireMessage } from '../core/protocol/spec.js';
import { startServe, type Served } from '../testing/serveProcess.js';
import { REPLAY_H100 } from '../testing/fixtures.js';

/** Connects and collects messages until `until` is satisfied, or resolves with the close code. */
function connect(
  url: string,
  opts: { protocols?: string[]; headers?: Record<string, string> },
  until: (msgs: WireMessage[]) => boolean,
): Promise<{ messages: WireMessage[]; close?: { code: number; reason: string } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace('http', 'ws') + '/stream', opts.protocols ?? [], {
      headers: opts.headers,
    });
    const messages: WireMessage[] = [];
    ws.on('message', (data) => {
      const r = decodeMessage(String(data));
      if (!r.ok) return reject(new Error(r.problem.message));
      messages.push(r.message);
      if (until(messages)) {
        ws.close();
        resolve({ messages });
      }
    });
    ws.on('close', (code, reason) =>
      resolve({ messages, close: { code, reason: String(reason) } }),
    );
    ws.on('error', reject);
  });
}

describe('osprey serve: the WebSocket stream', () => {
  let served: Served;
  beforeAll(async () => {
    served = await startServe([
      '--no-ui',
      '--token',
      'sesame-123',
      '--interval',
      '300',
      '--replay',
      `nvidia-smi=${REPLAY_H100}`,
    ]);
  });
  afterAll(() => served?.stop());

  it('streams inventory then metrics to a client offering the token as a subprotocol', async () => {
    const twoBatches = (m: WireMessage[]) => m.filter((x) => x.type === 'metrics').length >= 2;
    const { messages } = await connect(
      served.url,
      { protocols: ['osprey.v1', 'token.sesame-123'] },
      twoBatches,
    );
    expect(messages[0]?.type).toBe('inventory');
    const inventory = messages[0];
    if (inventory?.type !== 'inventory') throw new Error('no inventory');
    expect(inventory.devices.map((d) => d.name)).toContain('NVIDIA H100 80GB HBM3');
    const metrics = messages.filter((m) => m.type === 'metrics');
    expect(
      metricsSamples(metrics[0]!).some(
        (s) => s.m === 'host.memory.used' && typeof s.v === 'number',
      ),
    ).toBe(true);
  });

  it('accepts the token as a bearer header', async () => {
    const { messages } = await connect(
      served.url,
      { protocols: ['osprey.v1'], headers: { authorization: 'Bearer sesame-123' } },
      (m) => m.length >= 1,
    );
    expect(messages[0]?.type).toBe('inventory');
  });

  it('closes with 4401 and sends nothing without the token or with a wrong one', async () => {
    for (const protocols of [['osprey.v1'], ['osprey.v1', 'token.sesame-124']]) {
      const r = await connect(served.url, { protocols }, () => false);
      expect(r.messages).toEqual([]);
      expect(r.close).toEqual({ code: 4401, reason: 'unauthorized: token missing or wrong' });
    }
  });
});
