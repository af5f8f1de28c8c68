import { describe, expect, it } from 'vitest';

import type { MessageType } from '../../core/protocol/spec.js';
import { PublishBuffer, type BufferedMessage } from './PublishBuffer.js';

function msg(type: MessageType, bytes: number, tag = ''): BufferedMessage {
  return { type, subject: `${type}.${tag}`, data: new Uint8Array(bytes) };
}
const tags = (b: PublishBuffer): string[] => b.drain().map((m) => m.subject);

describe('PublishBuffer', () => {
  it('accounts payload bytes and messages; a new inventory replaces the held one', () => {
    const b = new PublishBuffer({ maxBytes: 10_000 });
    b.push(msg('metrics', 100));
    b.push(msg('events', 200));
    b.push(msg('inventory', 50, 'old'));
    b.push(msg('inventory', 70, 'new'));
    expect(b.bytes).toBe(370);
    expect(b.length).toBe(3);
    expect(tags(b)).toEqual(['inventory.new', 'metrics.', 'events.']);
    expect(b.bytes).toBe(0);
    expect(b.length).toBe(0);
    expect(b.takeDrops().messages).toBe(0);
  });

  it('drops the oldest metrics first when the bytes run out, keeping events', () => {
    const b = new PublishBuffer({ maxBytes: 1000 });
    b.push(msg('events', 100, 'e1'));
    for (let i = 1; i <= 5; i++) b.push(msg('metrics', 200, `m${i}`));
    expect(b.bytes).toBe(900);
    expect(tags(b)).toEqual(['events.e1', 'metrics.m2', 'metrics.m3', 'metrics.m4', 'metrics.m5']);
    expect(b.takeDrops()).toEqual({ messages: 1, bytes: 200, metrics: 1, events: 0 });
    expect(b.takeDrops()).toEqual({ messages: 0, bytes: 0, metrics: 0, events: 0 });
  });

  it('drops events only when no metrics are left, oldest first', () => {
    const b = new PublishBuffer({ maxBytes: 250 });
    b.push(msg('metrics', 100, 'm1'));
    b.push(msg('events', 100, 'e1'));
    b.push(msg('events', 100, 'e2'));
    b.push(msg('events', 100, 'e3'));
    expect(tags(b)).toEqual(['events.e2', 'events.e3']);
    expect(b.takeDrops()).toEqual({ messages: 2, bytes: 200, metrics: 1, events: 1 });
  });

  it('never drops the newest inventory, even alone over the limit', () => {
    const b = new PublishBuffer({ maxBytes: 1000 });
    b.push(msg('metrics', 300, 'm1'));
    b.push(msg('inventory', 1500, 'big'));
    expect(b.length).toBe(1);
    expect(tags(b)).toEqual(['inventory.big']);
    expect(b.peekDrops()).toMatchObject({ messages: 1, metrics: 1 });
  });

  it('bounds the message count as well as the bytes', () => {
    const b = new PublishBuffer({ maxBytes: 1e9, maxMessages: 3 });
    b.push(msg('inventory', 10, 'i'));
    for (let i = 1; i <= 4; i++) b.push(msg('metrics', 10, `m${i}`));
    expect(tags(b)).toEqual(['inventory.i', 'metrics.m3', 'metrics.m4']);
    expect(b.takeDrops()).toMatchObject({ messages: 2, bytes: 20 });
  });

  it('keeps arrival order across metrics and events after many evictions', () => {
    const b = new PublishBuffer({ maxBytes: 80 });
    for (let i = 0; i < 5000; i++) b.push(msg(i % 1000 === 0 ? 'events' : 'metrics', 10, `${i}`));
    expect(tags(b)).toEqual([
      ...[0, 1000, 2000, 3000, 4000].map((i) => `events.${i}`),
      ...[4997, 4998, 4999].map((i) => `metrics.${i}`),
    ]);
    expect(b.takeDrops()).toEqual({ messages: 4992, bytes: 49_920, metrics: 4992, events: 0 });
  });
});
