/**
 * The real runner against real processes (sh and node): output past the limit, a tool whose own
 * child holds the pipes, a stream that floods, and one that ignores SIGTERM.
 */
import { describe, expect, it } from 'vitest';

import { createSystemRunner, killRunningTools, MAX_OUTPUT_BYTES } from './systemRunner.js';

const runner = createSystemRunner();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('createSystemRunner', () => {
  it('stops a tool past 8 MB of output and says the output was exceeded', async () => {
    const flood =
      'process.stdout.write("x".repeat(1 << 20)); setInterval(() => process.stdout.write("x".repeat(1 << 20)), 1)';
    const res = await runner.run(process.execPath, ['-e', flood], { timeoutMs: 20_000 });
    expect(res).toEqual({ code: null, stdout: '', stderr: '', exceededBytes: MAX_OUTPUT_BYTES });
  });

  it('answers at the timeout even when the tool left a child holding its output open', async () => {
    const res = await runner.run('sh', ['-c', 'echo started; sleep 30; echo never'], {
      timeoutMs: 500,
    });
    expect(res.code).toBeNull();
    expect(res.exceededBytes).toBeUndefined();
  });

  it('stops a stream that floods and says why', async () => {
    const flood =
      'const b = Buffer.alloc(65536, 120); const w = () => { while (process.stdout.write(b)); process.stdout.once("drain", w); }; w();';
    const exit = await new Promise<string | undefined>((resolve) => {
      runner.spawnLines(process.execPath, ['-e', flood], {
        onLine: () => {},
        onExit: (_code, _stderr, _error, stoppedFor) => resolve(stoppedFor),
      });
    });
    expect(exit).toBe('it printed over 2 MB within 1 s (a flood)');
  });

  it('kills a stream that ignores SIGTERM, and its children, after stop()', async () => {
    const script = 'trap "" TERM; sleep 60 & echo $!; echo $$; wait';
    const pids: number[] = [];
    const stream = runner.spawnLines('sh', ['-c', script], {
      onLine: (l) => pids.push(Number(l)),
      onExit: () => {},
    });
    while (pids.length < 2) await new Promise((r) => setTimeout(r, 20));
    expect(pids.every(alive)).toBe(true);
    stream.stop();
    const deadline = Date.now() + 10_000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(pids.filter(alive)).toEqual([]);
  });
});

describe('killRunningTools', () => {
  it('ends a hung run when told, long before its timeout', async () => {
    // A 10-minute timeout: only the kill can settle this run within the test's 60 s.
    const run = runner.run('sh', ['-c', 'sleep 600'], { timeoutMs: 600_000 });
    await new Promise((r) => setTimeout(r, 200));
    killRunningTools();
    const res = await run;
    expect(res.code).toBeNull();
    expect(res.exceededBytes).toBeUndefined();
  });
});
