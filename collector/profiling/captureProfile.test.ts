import { describe, expect, it } from 'vitest';

import {
  CaptureError,
  checkCaptureRequest,
  MAX_CAPTURE_BYTES,
} from '../core/protocol/profileCapture.js';
import { exited, FakeCommandRunner, notFound, ok } from '../probes/FakeCommandRunner.js';
import { captureProfile, recordArgs, type TempFiles } from './captureProfile.js';
import { permissionProblem } from './permissions.js';
import { classifyProcess, type PermissionFacts, type ProcFs } from './processInfo.js';
import { ProfileCapturer } from './ProfileCapturer.js';

/** A fake /proc: files by path; a missing path rejects like ENOENT. */
function fakeProc(files: Record<string, string>, links: Record<string, string> = {}): ProcFs {
  const missing = (path: string) =>
    Promise.reject(Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' }));
  return {
    readFile: (path) => (path in files ? Promise.resolve(files[path]!) : missing(path)),
    readLink: (path) => (path in links ? Promise.resolve(links[path]!) : missing(path)),
  };
}

const ROOT_STATUS =
  'Name:\tnode\nState:\tS (sleeping)\nUid:\t0\t0\t0\t0\nCapEff:\t000001ffffffffff\n';
const USER_STATUS =
  'Name:\tnode\nState:\tS (sleeping)\nUid:\t1000\t1000\t1000\t1000\nCapEff:\t0000000000000000\n';

function procFor(pid: number, exe: string, self = ROOT_STATUS, extra: Record<string, string> = {}) {
  return fakeProc(
    {
      [`/proc/${pid}/status`]: 'Name:\tx\nState:\tR (running)\nUid:\t1000\t1000\t1000\t1000\n',
      [`/proc/${pid}/cmdline`]: `${exe}\0-u\0app.py\0`,
      '/proc/self/status': self,
      '/proc/sys/kernel/perf_event_paranoid': '2\n',
      ...extra,
    },
    { [`/proc/${pid}/exe`]: exe },
  );
}

/** Temp files in memory: what the fake tool "wrote" and what was removed. */
function memFiles(): TempFiles & {
  content: Map<string, string>;
  removed: string[];
  made: string[];
} {
  const content = new Map<string, string>();
  const removed: string[] = [];
  const made: string[] = [];
  return {
    content,
    removed,
    made,
    makeDir: async () => {
      const dir = `/tmp/fake-${made.length}`;
      made.push(dir);
      return dir;
    },
    size: async (p) => (content.has(p) ? Buffer.byteLength(content.get(p)!) : undefined),
    read: async (p) => content.get(p)!,
    remove: async (dir) => {
      removed.push(dir);
      for (const key of [...content.keys()]) if (key.startsWith(dir)) content.delete(key);
    },
  };
}

const PY_ARGS = (pid: number, d: number, out: string) =>
  `py-spy record --format raw --rate 100 --duration ${d} --pid ${pid} -o ${out}`;

describe('checkCaptureRequest', () => {
  it('accepts 1..60 whole seconds and defaults to 10', () => {
    expect(checkCaptureRequest({ pid: 42 })).toEqual({ pid: 42, durationS: 10 });
    expect(checkCaptureRequest({ pid: 42, durationS: 60, native: true })).toEqual({
      pid: 42,
      durationS: 60,
      native: true,
    });
  });

  it.each([
    [{ pid: 42, durationS: 61 }, 'durationS must be whole seconds from 1 to 60, got 61'],
    [{ pid: 42, durationS: 0 }, 'got 0'],
    [{ pid: 42, durationS: 2.5 }, 'got 2.5'],
    [{ pid: 42, durationS: '10' }, 'got "10"'],
    [{ pid: 0 }, 'pid must be a process id'],
    [{ pid: -1 }, 'got -1'],
    [{ pid: 42, native: 'yes' }, 'native must be true or false'],
    [null, 'a capture request is an object'],
  ])('refuses %j', (input, message) => {
    expect(() => checkCaptureRequest(input)).toThrow(message);
  });
});

describe('tool choice', () => {
  it.each([
    ['/usr/bin/python3.11', [], 'python'],
    ['/root/.pyenv/versions/3.12.1/bin/python3.12', [], 'python'],
    [undefined, ['/usr/bin/python3', '-m', 'vllm'], 'python'],
    ['/usr/bin/node', [], 'node'],
    ['/usr/bin/yes', ['yes'], 'native'],
    ['/usr/bin/python-config-tool', [], 'native'],
  ] as const)('%s %j is %s', (exe, cmdline, kind) => {
    expect(classifyProcess(exe, cmdline)).toBe(kind);
  });

  it('builds py-spy and perf command lines with the rate and duration', () => {
    expect(recordArgs('py-spy', { pid: 7, durationS: 10, native: true }, '/t/o').join(' ')).toBe(
      'record --format raw --rate 100 --duration 10 --pid 7 --native -o /t/o',
    );
    expect(recordArgs('perf', { pid: 7, durationS: 5 }, '/t/p').join(' ')).toBe(
      'record -g -F 99 -p 7 -o /t/p -- sleep 5',
    );
  });
});

describe('permission messages from /proc values', () => {
  const user: PermissionFacts = { uid: 1000, capEff: 0n, ptraceScope: 1, perfParanoid: 3 };
  const target = { pid: 4121, uid: 1000 };

  it('ptrace_scope 1 names the sysctl that allows it and CAP_SYS_PTRACE', () => {
    const message = permissionProblem('py-spy', user, target, 'node-017')!;
    expect(message).toContain('kernel.yama.ptrace_scope is 1');
    expect(message).toContain('`sudo sysctl -w kernel.yama.ptrace_scope=0`');
    expect(message).toContain('CAP_SYS_PTRACE');
    expect(message).toContain('pid 4121 on node-017');
  });

  it("another user's process needs CAP_SYS_PTRACE whatever the scope", () => {
    const message = permissionProblem(
      'py-spy',
      { ...user, ptraceScope: 0 },
      { pid: 9, uid: 0 },
      'n',
    )!;
    expect(message).toContain('belongs to uid 0 and the collector runs as uid 1000');
    expect(message).toContain('cap_sys_ptrace');
  });

  it('perf_event_paranoid above 1 gives the exact sysctl', () => {
    const message = permissionProblem('perf', { ...user, ptraceScope: 0 }, target, 'node-017')!;
    expect(message).toContain('kernel.perf_event_paranoid is 3');
    expect(message).toContain('`sudo sysctl -w kernel.perf_event_paranoid=1`');
  });

  it('root with its full capability mask passes both; ptrace_scope 3 stops even root', () => {
    const root: PermissionFacts = {
      uid: 0,
      capEff: 0x1ffffffffffn,
      ptraceScope: 1,
      perfParanoid: 3,
    };
    expect(permissionProblem('perf', root, target, 'n')).toBeUndefined();
    expect(permissionProblem('py-spy', { ...root, ptraceScope: 3 }, target, 'n')).toContain(
      'ptrace_scope is 3',
    );
  });

  it('root in a container without CAP_SYS_PTRACE (Docker default) is told to add it', () => {
    // Docker's default set for root: no SYS_PTRACE (bit 19), no SYS_ADMIN, no PERFMON.
    const dockerRoot: PermissionFacts = {
      uid: 0,
      capEff: 0xa80425fbn,
      ptraceScope: 1,
      perfParanoid: 2,
    };
    const message = permissionProblem('py-spy', dockerRoot, { pid: 9, uid: 0 }, 'node-017')!;
    expect(message).toContain('kernel.yama.ptrace_scope is 1');
    expect(message).toContain('`--cap-add SYS_PTRACE`');
  });

  it('CAP_SYS_PTRACE (bit 19) and CAP_PERFMON (bit 38) pass for a non-root collector', () => {
    const caps: PermissionFacts = { ...user, capEff: (1n << 19n) | (1n << 38n) };
    expect(permissionProblem('perf', caps, target, 'n')).toBeUndefined();
  });

  it('a capture refused by the pre-check runs no tool', async () => {
    const runner = new FakeCommandRunner();
    const proc = procFor(50, '/usr/bin/python3', USER_STATUS, {
      '/proc/sys/kernel/yama/ptrace_scope': '1\n',
    });
    const error = await captureProfile(
      { pid: 50, durationS: 1 },
      { runner, node: 'n1', proc, files: memFiles() },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaptureError);
    expect((error as CaptureError).kind).toBe('permission');
    expect(runner.calls).toHaveLength(0);
  });
});

describe('captureProfile with fake tools', () => {
  it('py-spy for a Python process: the folded text, the command and no temp files left', async () => {
    const files = memFiles();
    const runner = new FakeCommandRunner().on(PY_ARGS(31, 2, '/tmp/fake-0/profile.txt'), () => {
      files.content.set('/tmp/fake-0/profile.txt', 'main (a.py:3);spin (a.py:9) 199\n');
      return ok('');
    });
    const result = await captureProfile(
      { pid: 31, durationS: 2 },
      { runner, node: 'node-017', proc: procFor(31, '/usr/bin/python3.11'), files },
    );
    expect(result).toMatchObject({
      tool: 'py-spy',
      format: 'folded',
      text: 'main (a.py:3);spin (a.py:9) 199\n',
      rateHz: 100,
      node: 'node-017',
    });
    expect(runner.calls[0]!.timeoutMs).toBe(62_000);
    expect(files.removed).toEqual(['/tmp/fake-0']);
    expect(files.content.size).toBe(0);
  });

  it('perf for a native process: record then script, perf script bounded to 64 MiB', async () => {
    const files = memFiles();
    const runner = new FakeCommandRunner()
      .on('perf record -g -F 99 -p 77 -o /tmp/fake-0/perf.data -- sleep 1', () => {
        files.content.set('/tmp/fake-0/perf.data', 'PERFILE2');
        return ok('');
      })
      .on('perf script -i /tmp/fake-0/perf.data', ok('yes 77 1.0: 1 cpu-clock:\n\t1 f (/x)\n\n'));
    const result = await captureProfile(
      { pid: 77, durationS: 1 },
      { runner, node: 'n', proc: procFor(77, '/usr/bin/yes'), files },
    );
    expect(result.format).toBe('perf-script');
    expect(result.rateHz).toBe(99);
    expect(runner.callsOf('perf script -i /tmp/fake-0/perf.data')[0]!.maxOutputBytes).toBe(
      MAX_CAPTURE_BYTES,
    );
  });

  it('a Node process without --perf-basic-prof is profiled with perf and a warning says how to get names', async () => {
    const files = memFiles();
    const runner = new FakeCommandRunner()
      .on('perf record -g -F 99 -p 5 -o /tmp/fake-0/perf.data -- sleep 1', () => {
        files.content.set('/tmp/fake-0/perf.data', 'x');
        return ok('');
      })
      .on('perf script -i /tmp/fake-0/perf.data', ok('node 5 1.0: 1 cpu-clock:\n\t1 f (/x)\n\n'));
    const result = await captureProfile(
      { pid: 5, durationS: 1 },
      { runner, node: 'n', proc: procFor(5, '/usr/bin/node'), files },
    );
    expect(result.warnings.join('\n')).toContain('--perf-basic-prof');
  });

  it('a missing py-spy says how to install it, naming the node', async () => {
    const runner = new FakeCommandRunner().on(
      PY_ARGS(31, 1, '/tmp/fake-0/profile.txt'),
      notFound('py-spy'),
    );
    await expect(
      captureProfile(
        { pid: 31, durationS: 1 },
        { runner, node: 'node-017', proc: procFor(31, '/usr/bin/python3'), files: memFiles() },
      ),
    ).rejects.toThrow('py-spy is not installed on node-017: pip install py-spy');
  });

  it("pyenv's shim answering 127 is a missing tool too", async () => {
    const runner = new FakeCommandRunner().on(
      PY_ARGS(31, 1, '/tmp/fake-0/profile.txt'),
      exited(127, 'pyenv: py-spy: command not found\n'),
    );
    await expect(
      captureProfile(
        { pid: 31, durationS: 1 },
        { runner, node: 'n', proc: procFor(31, '/usr/bin/python3'), files: memFiles() },
      ),
    ).rejects.toMatchObject({ kind: 'tool-missing' });
  });

  it('no such pid: refused before any tool runs', async () => {
    const runner = new FakeCommandRunner();
    await expect(
      captureProfile(
        { pid: 4242, durationS: 1 },
        { runner, node: 'n', proc: fakeProc({}), files: memFiles() },
      ),
    ).rejects.toMatchObject({ kind: 'no-process', message: 'no process 4242 on n (it exited?)' });
    expect(runner.calls).toHaveLength(0);
  });

  it('a refusal by the kernel while running names the sysctl values and the fix', async () => {
    const runner = new FakeCommandRunner().on(
      'perf record -g -F 99 -p 77 -o /tmp/fake-0/perf.data -- sleep 1',
      exited(
        255,
        'Error:\nAccess to performance monitoring and observability operations is limited.\nperf_event_paranoid setting is 4\n',
      ),
    );
    const error = (await captureProfile(
      { pid: 77, durationS: 1 },
      { runner, node: 'n', proc: procFor(77, '/usr/bin/yes'), files: memFiles() },
    ).catch((e: unknown) => e)) as CaptureError;
    expect(error.kind).toBe('permission');
    expect(error.message).toContain('kernel.perf_event_paranoid=2');
    expect(error.message).toContain('`sudo sysctl -w kernel.perf_event_paranoid=1`');
  });

  it('cancel kills the tool (its signal aborts) and removes the temp directory', async () => {
    const files = memFiles();
    const controller = new AbortController();
    let toolSignal: AbortSignal | undefined;
    const runner = new FakeCommandRunner().on(
      PY_ARGS(31, 30, '/tmp/fake-0/profile.txt'),
      (call) => {
        toolSignal = call.signal;
        files.content.set('/tmp/fake-0/profile.txt', 'partial');
        return new Promise((_resolve, reject) =>
          call.signal!.addEventListener('abort', () => reject(call.signal!.reason)),
        );
      },
    );
    const capture = captureProfile(
      { pid: 31, durationS: 30, signal: controller.signal },
      { runner, node: 'n', proc: procFor(31, '/usr/bin/python3'), files },
    );
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await expect(capture).rejects.toMatchObject({ kind: 'cancelled' });
    expect(toolSignal?.aborted).toBe(true);
    expect(files.removed).toEqual(['/tmp/fake-0']);
    expect(files.content.size).toBe(0);
  });

  it('reports progress each interval while the tool runs', async () => {
    const files = memFiles();
    let t = 0;
    const runner = new FakeCommandRunner().on(
      PY_ARGS(31, 3, '/tmp/fake-0/profile.txt'),
      async () => {
        for (let i = 0; i < 3; i++) {
          t += 1000;
          await new Promise((r) => setTimeout(r, 25));
        }
        files.content.set('/tmp/fake-0/profile.txt', 'a 1\n');
        return ok('');
      },
    );
    const seen: number[] = [];
    await captureProfile(
      { pid: 31, durationS: 3, onProgress: (p) => seen.push(p.elapsedS) },
      {
        runner,
        node: 'n',
        proc: procFor(31, '/usr/bin/python3'),
        files,
        now: () => t,
        progressEveryMs: 20,
      },
    );
    expect(seen[0]).toBe(0);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.at(-1)).toBe(3);
  });
});

describe('ProfileCapturer limits', () => {
  const slow = () => {
    const controllers: AbortSignal[] = [];
    const capture = (options: { signal?: AbortSignal | undefined }) =>
      new Promise<never>((_resolve, reject) => {
        controllers.push(options.signal!);
        options.signal!.addEventListener('abort', () =>
          reject(new CaptureError('cancelled', 'cancelled')),
        );
      });
    return { controllers, capture: capture as never };
  };

  it('one capture per pid: the second gets "already profiling pid P"', async () => {
    const { capture } = slow();
    const capturer = new ProfileCapturer(
      { runner: new FakeCommandRunner(), node: 'node-017' },
      4,
      capture,
    );
    const first = capturer.start({ pid: 12, durationS: 10 });
    await expect(capturer.start({ pid: 12, durationS: 10 })).rejects.toThrow(
      /^already profiling pid 12 on node-017 \(started 0 s ago\)/,
    );
    expect(capturer.cancel(12)).toBe(true);
    await expect(first).rejects.toMatchObject({ kind: 'cancelled' });
    expect(capturer.busyPids()).toEqual([]);
    expect(capturer.cancel(12)).toBe(false);
  });

  it('at most N at once per collector', async () => {
    const { capture } = slow();
    const capturer = new ProfileCapturer(
      { runner: new FakeCommandRunner(), node: 'n' },
      2,
      capture,
    );
    const runs = [
      capturer.start({ pid: 1, durationS: 5 }),
      capturer.start({ pid: 2, durationS: 5 }),
    ];
    await expect(capturer.start({ pid: 3, durationS: 5 })).rejects.toMatchObject({ kind: 'limit' });
    capturer.cancelAll();
    await Promise.allSettled(runs);
    expect(capturer.busyPids()).toEqual([]);
  });

  it("the caller's signal cancels its capture", async () => {
    const { capture, controllers } = slow();
    const capturer = new ProfileCapturer(
      { runner: new FakeCommandRunner(), node: 'n' },
      4,
      capture,
    );
    const caller = new AbortController();
    const run = capturer.start({ pid: 9, durationS: 5, signal: caller.signal });
    caller.abort();
    await expect(run).rejects.toMatchObject({ kind: 'cancelled' });
    expect(controllers[0]!.aborted).toBe(true);
  });
});
