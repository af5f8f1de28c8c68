import { describe, expect, it } from 'vitest';
import type { EventMark } from './eventMarks.js';
import type { PlayerStatus } from './playerTypes.js';
import {
  binMarks,
  clockLabel,
  durationLabel,
  preparePlayerBar,
  timeAt,
} from './preparePlayerBar.js';

const START = Date.UTC(2026, 11, 2, 14, 0, 0);
const END = START + 3_600_000;
const UTC = { timeZone: 'UTC' };

function status(over: Partial<PlayerStatus> = {}): PlayerStatus {
  return {
    state: 'paused',
    currentTime: START + 125_400,
    lastSeekTime: START,
    range: { start: START, end: END },
    speed: 1,
    loop: false,
    behindBy: 0,
    seeking: false,
    problems: [],
    info: {
      range: { start: START, end: END },
      topics: [],
      problems: [],
      metadata: { cluster: 'gpu-a' },
      complete: true,
    },
    marks: [],
    marksOmitted: 0,
    marksComplete: true,
    ...over,
  };
}

const mark = (time: number, over: Partial<EventMark> = {}): EventMark => ({
  time,
  cluster: 'gpu-a',
  node: 'node-001',
  kind: 'xid',
  severity: 'warning',
  message: 'XID 13',
  ...over,
});

describe('preparePlayerBar', () => {
  it('shows recording time and position, never the wall clock', () => {
    const m = preparePlayerBar(status(), UTC);
    expect(m.timeLabel).toBe('14:02:05.4');
    expect(m.elapsedLabel).toBe('2:05 / 1:00:00');
    expect(m.max).toBe(3_600_000);
    expect(m.value).toBe(125_400);
    expect(m.title).toBe('Recording of gpu-a, 2 Dec 14:00:00 – 15:00:00');
  });

  it('names the end day when the recording crosses midnight', () => {
    const late = Date.UTC(2026, 11, 2, 23, 30, 0);
    const range = { start: late, end: late + 3_600_000 };
    const m = preparePlayerBar(status({ range, currentTime: late }), UTC);
    expect(m.title).toBe('Recording of gpu-a, 2 Dec 23:30:00 – 3 Dec 00:30:00');
  });

  it('the main button plays, pauses, or replays after the end', () => {
    expect(preparePlayerBar(status({ state: 'paused' })).action).toBe('play');
    expect(preparePlayerBar(status({ state: 'playing' })).action).toBe('pause');
    expect(preparePlayerBar(status({ state: 'ended' })).action).toBe('replay');
  });

  it('is disabled and says so while opening, and shows the error when it could not open', () => {
    const opening = preparePlayerBar(status({ state: 'initializing', range: undefined }));
    expect(opening.enabled).toBe(false);
    expect(opening.stateText).toBe('opening…');
    expect(opening.timeLabel).toBe('--:--:--');
    const broken = preparePlayerBar(
      status({ state: 'error', range: undefined, error: 'cannot open the recording: bad magic' }),
    );
    expect(broken.enabled).toBe(false);
    expect(broken.stateText).toBe('cannot open the recording: bad magic');
  });

  it('says when playback is behind by a second or more, with the speed', () => {
    expect(preparePlayerBar(status({ state: 'playing', behindBy: 800, speed: 16 })).behind).toBe(
      undefined,
    );
    expect(preparePlayerBar(status({ state: 'playing', behindBy: 12_040, speed: 16 })).behind).toBe(
      'behind by 12.0 s: the recording reads slower than 16×',
    );
  });

  it('offers the speed ladder and shows loop and the marks bound', () => {
    const m = preparePlayerBar(status({ loop: true, speed: 4, marksOmitted: 1204 }));
    expect(m.speeds.map((s) => s.label)).toEqual(['0.25×', '0.5×', '1×', '2×', '4×', '8×', '16×']);
    expect(m.speed).toBe(4);
    expect(m.loop).toBe(true);
    expect(m.marksNote).toBe('+1,204 events not marked');
  });
});

describe('binMarks', () => {
  const range = { start: START, end: END };

  it('puts each mark at its place on the bar', () => {
    const bins = binMarks([mark(START + 900_000)], range, 250, UTC);
    expect(bins).toEqual([
      {
        at: 0.25,
        time: START + 900_000,
        severity: 'warning',
        count: 1,
        title: '14:15:00.0 · node-001 · xid: XID 13',
      },
    ]);
  });

  it('joins marks of one slot, keeping the worst severity in the title and the count', () => {
    const bins = binMarks(
      [
        mark(START + 1000),
        mark(START + 2000, { severity: 'critical', message: 'XID 79', device: 'GPU-3' }),
        mark(START + 3000, { severity: 'error' }),
        mark(START + 1_800_000),
      ],
      range,
      250,
      UTC,
    );
    expect(bins).toHaveLength(2);
    expect(bins[0]).toMatchObject({ time: START + 1000, severity: 'critical', count: 3 });
    expect(bins[0]!.title).toBe('14:00:02.0 · node-001 · GPU-3 · xid: XID 79 (+2 more)');
    expect(bins[1]).toMatchObject({ at: 0.5, count: 1 });
  });

  it('never makes more bins than slots, however many marks', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => mark(START + i * 360));
    expect(binMarks(many, range, 250).length).toBe(250);
  });
});

describe('labels and positions', () => {
  it('formats durations', () => {
    expect(durationLabel(5_000)).toBe('0:05');
    expect(durationLabel(754_000)).toBe('12:34');
    expect(durationLabel(3_723_000)).toBe('1:02:03');
    expect(durationLabel(-5)).toBe('0:00');
  });

  it('formats recording time with tenths', () => {
    expect(clockLabel(START + 1_999, UTC)).toBe('14:00:01.9');
  });

  it('maps a bar position to a recording time, clamped to the range', () => {
    expect(timeAt(0.5, { start: 1000, end: 3000 })).toBe(2000);
    expect(timeAt(-1, { start: 1000, end: 3000 })).toBe(1000);
    expect(timeAt(2, { start: 1000, end: 3000 })).toBe(3000);
  });
});
