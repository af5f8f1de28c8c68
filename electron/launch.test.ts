import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  exitCode,
  FALLBACK_NOTICE,
  launch,
  resolveElectronBinary,
  serveArguments,
  type LaunchDeps,
} from './launch.js';
import { fakeSpawn } from './testing/FakeChild.js';

const ELECTRON = '/repo/node_modules/electron/dist/electron';

function setup(electron: string | undefined, serveArgs: string[] = []) {
  const { calls, spawn } = fakeSpawn();
  const logs: string[] = [];
  const signals = new Map<NodeJS.Signals, () => void>();
  const deps: LaunchDeps = {
    resolveElectron: () => electron,
    spawn,
    log: (line) => logs.push(line),
    onSignal: (signal, handler) => {
      signals.set(signal, handler);
      return () => signals.delete(signal);
    },
    execPath: '/usr/bin/node',
    repoRoot: '/repo',
    serveArgs,
  };
  const exited = launch(deps);
  return { calls, logs, signals, exited, child: () => calls[0]!.child };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('launch with an Electron runtime', () => {
  it('runs the desktop app from the repository root and says nothing', async () => {
    const { calls, logs, exited, child } = setup(ELECTRON, ['--replay', 'x']);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      command: ELECTRON,
      args: ['/repo'],
      options: { cwd: '/repo', stdio: 'inherit' },
    });
    expect(logs).toEqual([]);
    child().exit(0);
    await expect(exited).resolves.toBe(0);
  });

  it('passes on the exit code', async () => {
    const { exited, child } = setup(ELECTRON);
    child().exit(3);
    await expect(exited).resolves.toBe(3);
  });
});

describe('launch without an Electron runtime', () => {
  it('says so in one line and serves the web console in the foreground', async () => {
    const { calls, logs, exited, child } = setup(undefined, ['--replay', 'nvidia-smi=cap.csv']);
    expect(logs).toEqual([FALLBACK_NOTICE]);
    expect(FALLBACK_NOTICE).toBe(
      'Electron runtime not available here; serving the web console instead.',
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      command: '/usr/bin/node',
      args: ['/repo/collector/bin/osprey.js', 'serve', '--replay', 'nvidia-smi=cap.csv'],
      options: { cwd: '/repo', stdio: 'inherit' },
    });
    child().exit(2);
    await expect(exited).resolves.toBe(2);
  });

  it('reports a child that cannot be started', async () => {
    const { logs, exited, child } = setup(undefined);
    child().emit('error', new Error('spawn /usr/bin/node EACCES'));
    await expect(exited).resolves.toBe(1);
    expect(logs.at(-1)).toBe('osprey: could not start /usr/bin/node: spawn /usr/bin/node EACCES');
  });
});

describe('signals', () => {
  it('forwards SIGTERM and SIGHUP at once', () => {
    const { signals, child } = setup(undefined);
    signals.get('SIGTERM')!();
    signals.get('SIGHUP')!();
    expect(child().signals).toEqual(['SIGTERM', 'SIGHUP']);
  });

  it('leaves Ctrl-C to the terminal, forwarding SIGINT only if the child still runs 2 s later', async () => {
    const { signals, child } = setup(undefined);
    signals.get('SIGINT')!();
    await vi.advanceTimersByTimeAsync(1_999);
    expect(child().signals).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(child().signals).toEqual(['SIGINT']);
  });

  it('stops listening and forwarding once the child has exited', async () => {
    const { signals, child, exited } = setup(undefined);
    signals.get('SIGINT')!();
    child().exit(0);
    await exited;
    expect(signals.size).toBe(0);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(child().signals).toEqual([]);
  });
});

describe('exitCode', () => {
  it('is the code, or 128 + the signal number', () => {
    expect(exitCode(0, null)).toBe(0);
    expect(exitCode(7, null)).toBe(7);
    expect(exitCode(null, 'SIGINT')).toBe(130);
    expect(exitCode(null, 'SIGTERM')).toBe(143);
    expect(exitCode(null, null)).toBe(1);
  });
});

describe('resolveElectronBinary', () => {
  const display = { DISPLAY: ':0' };
  const exists = (path: string): boolean => path === ELECTRON;

  it('is the binary the electron package names, when it exists', () => {
    expect(resolveElectronBinary(() => ELECTRON, exists, display, 'linux')).toBe(ELECTRON);
    expect(resolveElectronBinary(() => ELECTRON, exists, {}, 'darwin')).toBe(ELECTRON);
    expect(resolveElectronBinary(() => ELECTRON, exists, { WAYLAND_DISPLAY: 'w-0' }, 'linux')).toBe(
      ELECTRON,
    );
  });

  it('is undefined when the package throws because its binary was never downloaded', () => {
    const missing = (): never => {
      throw new Error('Electron failed to install correctly, please delete node_modules/electron');
    };
    expect(resolveElectronBinary(missing, exists, display, 'linux')).toBeUndefined();
  });

  it('is undefined when the named file is not there or the answer is not a path', () => {
    expect(resolveElectronBinary(() => '/gone/electron', exists, display, 'linux')).toBeUndefined();
    expect(resolveElectronBinary(() => ({}), exists, display, 'linux')).toBeUndefined();
  });

  it('is undefined on Linux without a display, where no window can open', () => {
    expect(resolveElectronBinary(() => ELECTRON, exists, {}, 'linux')).toBeUndefined();
  });
});

describe('npm start -- FILE', () => {
  it('serves the web console offering the file as the snapshot to open', async () => {
    const { calls, exited, child } = setup(undefined, ['incident.mcap', '--port', '0']);
    expect(calls[0]!.args).toEqual([
      '/repo/collector/bin/osprey.js',
      'serve',
      '--snapshot',
      'incident.mcap',
      '--port',
      '0',
    ]);
    child().exit(0);
    await exited;
  });

  it('leaves arguments that start with a flag as they are', () => {
    expect(serveArguments(['--replay', 'x.csv'])).toEqual(['--replay', 'x.csv']);
    expect(serveArguments([])).toEqual([]);
  });
});
