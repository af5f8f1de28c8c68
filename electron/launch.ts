/**
 * `npm start`: the desktop app when an Electron runtime is installed and there is a screen, else
 * the same console served to a browser by `osprey serve` (DESIGN.md, "The three programs"). Plain
 * Node; the decision is a function of injected parts so it can be tested without either program.
 */
import { spawn as nodeSpawn, type SpawnOptions } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FALLBACK_NOTICE =
  'Electron runtime not available here; serving the web console instead.';

/** The part of node's ChildProcess the launcher uses. */
export interface LaunchedChild {
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  once(event: 'error', listener: (error: Error) => void): this;
}

export interface LaunchDeps {
  /** The Electron binary, or undefined when it cannot run here. */
  resolveElectron(): string | undefined;
  spawn(command: string, args: readonly string[], options: SpawnOptions): LaunchedChild;
  log(line: string): void;
  /** Listens for a signal sent to this process; returns the function that stops listening. */
  onSignal(signal: NodeJS.Signals, handler: () => void): () => void;
  /** The Node running this launcher (runs the collector in web mode). */
  execPath: string;
  repoRoot: string;
  /**
   * `npm start -- --replay …`: passed to `osprey serve` in web mode; `npm start -- FILE` (a first
   * argument that is not a flag) becomes `--snapshot FILE` (serveArguments).
   */
  serveArgs: readonly string[];
}

/**
 * `osprey serve`'s arguments for `npm start -- …`: a first argument that is not a flag is a
 * snapshot to open (`npm start -- incident.mcap` → `serve --snapshot incident.mcap`); the rest
 * passes through as given.
 */
export function serveArguments(args: readonly string[]): string[] {
  const [first, ...rest] = args;
  if (first === undefined || first.startsWith('-')) return [...args];
  return ['--snapshot', first, ...rest];
}

// Ctrl-C reaches the whole foreground process group, the child included, so SIGINT is forwarded
// only if the child still runs this long after: a second SIGINT would cut its clean shutdown short.
const SIGINT_FORWARD_AFTER_MS = 2_000;

/** Runs the desktop app or the web console and resolves with the exit code to pass on. */
export function launch(deps: LaunchDeps): Promise<number> {
  const electron = deps.resolveElectron();
  if (!electron) deps.log(FALLBACK_NOTICE);
  const file = serveArguments(deps.serveArgs)[0] === '--snapshot' ? deps.serveArgs[0] : undefined;
  // The desktop window opens files with its Open dialog or by drag-and-drop.
  if (electron && file !== undefined) {
    deps.log(
      `open ${file} in the window: Open recording… in the sidebar, or drop it on the window`,
    );
  }
  const [command, args] = electron
    ? [electron, [deps.repoRoot]]
    : [
        deps.execPath,
        [
          join(deps.repoRoot, 'collector', 'bin', 'osprey.js'),
          'serve',
          ...serveArguments(deps.serveArgs),
        ],
      ];
  const child = deps.spawn(command, args, { cwd: deps.repoRoot, stdio: 'inherit' });

  return new Promise<number>((resolve) => {
    const timers: ReturnType<typeof setTimeout>[] = [];
    const unsubscribe = [
      deps.onSignal('SIGTERM', () => child.kill('SIGTERM')),
      deps.onSignal('SIGHUP', () => child.kill('SIGHUP')),
      deps.onSignal('SIGINT', () => {
        timers.push(setTimeout(() => child.kill('SIGINT'), SIGINT_FORWARD_AFTER_MS));
      }),
    ];
    const done = (code: number): void => {
      unsubscribe.forEach((stop) => stop());
      timers.forEach((timer) => clearTimeout(timer));
      resolve(code);
    };
    child.once('error', (error) => {
      deps.log(`osprey: could not start ${command}: ${error.message}`);
      done(1);
    });
    child.once('exit', (code, signal) => done(exitCode(code, signal)));
  });
}

/** A shell's convention: 128 + the signal's number when the child was killed by one. */
export function exitCode(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return signal ? 128 + (constants.signals[signal] ?? 0) : 1;
}

/**
 * The path `require('electron')` gives, if that file exists. The npm package throws when its
 * binary was never downloaded; on Linux without a display the binary could not open a window.
 */
export function resolveElectronBinary(
  requireElectron: () => unknown,
  exists: (path: string) => boolean,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
): string | undefined {
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined;
  let path: unknown;
  try {
    path = requireElectron();
  } catch {
    return undefined;
  }
  return typeof path === 'string' && exists(path) ? path : undefined;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  try {
    return script !== undefined && realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const require = createRequire(import.meta.url);
  process.exitCode = await launch({
    resolveElectron: () =>
      resolveElectronBinary(() => require('electron'), existsSync, process.env, process.platform),
    spawn: nodeSpawn,
    log: (line) => console.log(line),
    onSignal: (signal, handler) => {
      process.on(signal, handler);
      return () => process.off(signal, handler);
    },
    execPath: process.execPath,
    // dist/electron/launch.js → the repository
    repoRoot: fileURLToPath(new URL('../../', import.meta.url)),
    serveArgs: process.argv.slice(2),
  });
}
