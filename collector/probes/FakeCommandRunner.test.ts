import { describe, expect, it } from 'vitest';

import { exited, FakeCommandRunner, notFound, ok } from './FakeCommandRunner.js';
import { isNotFound } from './types.js';

describe('FakeCommandRunner', () => {
  it('gives the answers of a command line in turn, repeating the last, and records calls', async () => {
    const runner = new FakeCommandRunner().on('tool a', ok('1'), exited(2, 'bad'));
    const codes = [];
    for (let i = 0; i < 3; i++)
      codes.push((await runner.run('tool', ['a'], { timeoutMs: 7 })).code);
    expect(codes).toEqual([0, 2, 2]);
    expect(runner.callsOf('tool a')).toEqual(
      Array(3).fill({ cmd: 'tool', args: ['a'], line: 'tool a', timeoutMs: 7 }),
    );
  });

  it('rejects a missing tool as ENOENT and a forgotten answer by name', async () => {
    const runner = new FakeCommandRunner().on('gone', notFound('gone'));
    const error: unknown = await runner.run('gone', []).catch((e: unknown) => e);
    expect(isNotFound(error)).toBe(true);
    await expect(runner.run('other', ['x'])).rejects.toThrow(
      'FakeCommandRunner: no answer for "other x"',
    );
  });

  it('streams the lines set for a command, then its exit', async () => {
    const runner = new FakeCommandRunner().onStream('tail -f', { lines: ['a', 'b'], code: 3 });
    const seen: string[] = [];
    const code = await new Promise<number | null>((resolve) => {
      runner.spawnLines('tail', ['-f'], { onLine: (l) => seen.push(l), onExit: resolve });
    });
    expect([seen, code]).toEqual([['a', 'b'], 3]);
  });

  it('plays the streams of a command in turn, keeps an open one running, and records stops', async () => {
    const runner = new FakeCommandRunner().onStream(
      'smi -l',
      { lines: ['dying'], code: 1, stderr: 'boom' },
      { lines: ['alive'], open: true },
    );
    const first = await new Promise<[string[], number | null, string]>((resolve) => {
      const seen: string[] = [];
      runner.spawnLines('smi', ['-l'], {
        onLine: (l) => seen.push(l),
        onExit: (code, stderr) => resolve([seen, code, stderr]),
      });
    });
    expect(first).toEqual([['dying'], 1, 'boom']);
    const seen: string[] = [];
    let exited = false;
    const second = runner.spawnLines('smi', ['-l'], {
      onLine: (l) => seen.push(l),
      onExit: () => (exited = true),
    });
    await new Promise((r) => setTimeout(r, 5));
    second.stop();
    expect({ seen, exited, stopped: runner.stopped }).toEqual({
      seen: ['alive'],
      exited: false,
      stopped: ['smi -l'],
    });
  });
});
