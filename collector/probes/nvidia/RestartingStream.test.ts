import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { FakeCommandRunner } from '../FakeCommandRunner.js';
import { RestartingStream } from './RestartingStream.js';

describe('RestartingStream', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits 1 s, 2 s, 4 s … at most 30 s between restarts', () => {
    const stream = new RestartingStream(
      new FakeCommandRunner(),
      'x',
      [],
      { onLine: () => {}, onExit: () => {} },
      { now: Date.now },
    );
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((n) => stream.delayMs(n))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('restarts a dying process with growing waits and reports each exit', async () => {
    const runner = new FakeCommandRunner().onStream('smi -lms 100', {
      lines: ['row'],
      code: 1,
      stderr: 'Unable to determine the device handle for GPU0000:3B:00.0: Unknown Error\n',
    });
    const exits: string[] = [];
    const lines: string[] = [];
    const stream = new RestartingStream(
      runner,
      'smi',
      ['-lms', '100'],
      { onLine: (t, n) => lines.push(`${n}:${t}`), onExit: (m) => exits.push(m) },
      { now: Date.now },
    );
    const spawns = (): number => runner.callsOf('smi -lms 100').length;
    // Fake timers run setTimeout(0) after 1 ms, so each check sits mid-way between restarts.
    stream.start();
    await vi.advanceTimersByTimeAsync(500);
    expect(exits).toEqual([
      'smi exited with code 1: Unable to determine the device handle for GPU0000:3B:00.0: Unknown Error; restarting in 1 s',
    ]);
    expect(spawns()).toBe(1);
    await vi.advanceTimersByTimeAsync(1000); // t = 1.5 s
    expect(spawns()).toBe(2);
    await vi.advanceTimersByTimeAsync(1000); // t = 2.5 s: the second wait is 2 s
    expect(spawns()).toBe(2);
    await vi.advanceTimersByTimeAsync(1000); // t = 3.5 s
    expect(spawns()).toBe(3);
    await vi.advanceTimersByTimeAsync(4000); // t = 7.5 s
    expect(spawns()).toBe(4);
    expect(exits.map((m) => m.slice(m.indexOf('restarting')))).toEqual([
      'restarting in 1 s',
      'restarting in 2 s',
      'restarting in 4 s',
      'restarting in 8 s',
    ]);
    // Line numbers count from 1 in each process.
    expect(lines).toEqual(['1:row', '1:row', '1:row', '1:row']);
    stream.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(spawns()).toBe(4);
  });

  it('starts the waits over after a process that ran for 30 s', async () => {
    const dies = { lines: [], code: 1 };
    const runner = new FakeCommandRunner().onStream(
      'smi',
      dies,
      dies,
      { ...dies, exitAfterMs: 30_000 },
      dies,
    );
    const exits: string[] = [];
    const stream = new RestartingStream(
      runner,
      'smi',
      [],
      { onLine: () => {}, onExit: (m) => exits.push(m) },
      { now: () => Date.now() },
    );
    stream.start();
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 30_000 + 1000 + 100);
    expect(exits.map((m) => m.slice(m.indexOf('restarting')))).toEqual([
      'restarting in 1 s',
      'restarting in 2 s',
      'restarting in 1 s',
      'restarting in 2 s',
    ]);
    stream.stop();
  });

  it('ignores a stopped process and says when one could not start', async () => {
    const runner = new FakeCommandRunner();
    const exits: string[] = [];
    const stream = new RestartingStream(
      runner,
      'gone',
      [],
      { onLine: () => {}, onExit: (m) => exits.push(m) },
      { now: Date.now },
    );
    stream.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(exits).toEqual([
      'gone could not run (FakeCommandRunner: no stream for "gone"); restarting in 1 s',
    ]);
    stream.stop();
  });
});
