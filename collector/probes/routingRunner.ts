/**
 * Sends each tool to its own runner: `--replay nvidia-smi=FILE` swaps in a recorded nvidia-smi while
 * every other tool still runs for real.
 */
import type { CommandRunner } from './types.js';

export function createRoutingRunner(
  fallback: CommandRunner,
  routes: ReadonlyMap<string, CommandRunner>,
): CommandRunner {
  const pick = (cmd: string): CommandRunner => routes.get(cmd) ?? fallback;
  return {
    run: (cmd, args, opts) => pick(cmd).run(cmd, args, opts),
    spawnLines: (cmd, args, handlers) => pick(cmd).spawnLines(cmd, args, handlers),
  };
}
