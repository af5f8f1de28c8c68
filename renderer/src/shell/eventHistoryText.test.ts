import { describe, expect, it } from 'vitest';

import { eventHistoryText, sinceText } from './eventHistoryText.js';

const at = (y: number, mo: number, d: number, h: number, mi: number) =>
  new Date(y, mo - 1, d, h, mi).getTime();

describe('eventHistoryText', () => {
  const now = at(2026, 12, 3, 15, 30);

  it('says where the events before the connection came from', () => {
    const t = eventHistoryText(
      { state: 'loaded', since: at(2026, 12, 3, 14, 2), count: 37, total: 37 },
      now,
    );
    expect(t.text).toBe('events since 14:02 from JetStream');
    expect(t.title).toBe(
      '37 events messages read from the JetStream stream OSPREY_EVENTS on connect, besides those received live.',
    );
    expect(t.unavailable).toBe(false);
  });

  it('says when the read was bounded', () => {
    const t = eventHistoryText(
      { state: 'loaded', since: at(2026, 12, 3, 9, 0), count: 10_000, total: 12_000 },
      now,
    );
    expect(t.title).toContain('The window held 12,000 messages; the newest were read.');
  });

  it('says history is unavailable, and why', () => {
    const t = eventHistoryText(
      { state: 'unavailable', reason: 'the server has no JetStream' },
      now,
    );
    expect(t.text).toBe('history of events unavailable: the server has no JetStream');
    expect(t.unavailable).toBe(true);
  });

  it('names the day when the window began before today', () => {
    expect(sinceText(at(2026, 12, 2, 15, 30), now)).toBe('yesterday 15:30');
    expect(sinceText(at(2026, 11, 30, 8, 5), now)).toBe('2026-11-30 08:05');
    expect(eventHistoryText({ state: 'loading', since: at(2026, 12, 2, 15, 30) }, now).text).toBe(
      'reading events since yesterday 15:30 from JetStream…',
    );
  });
});
