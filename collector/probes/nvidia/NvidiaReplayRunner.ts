/**
 * A CommandRunner that answers nvidia-smi from a recorded `--query-gpu … --format=csv` capture
 * (`--replay nvidia-smi=FILE`; the caller reads the file). Columns are reordered to the query, units
 * dropped for `nounits`; a looping query (`-lms N`) gets the capture's blocks one every N ms, over
 * and over, and a one-shot query gets the block last streamed. Compute apps come from an optional
 * second capture, else there are none.
 */
import type { CommandResult, CommandRunner, LineStream, LineStreamHandlers } from '../types.js';
import { parseReplayArgs, type ReplayRequest } from './replayArgs.js';
import {
  invalidFieldMessage,
  project,
  readReplayCapture,
  type ReplayCapture,
  type ReplayLine,
} from './replayCapture.js';

export interface NvidiaReplayOptions {
  /** A recorded `--query-compute-apps … --format=csv` output. */
  computeAppsText?: string;
}

interface Answer {
  code: number;
  lines: string[];
  stderr: string;
}

export class NvidiaReplayRunner implements CommandRunner {
  private readonly gpu: ReplayCapture;
  private readonly apps: ReplayCapture;
  /** Blocks streamed so far, all streams together: the replay's clock. */
  private emitted = 0;

  constructor(captureText: string, opts: NvidiaReplayOptions = {}) {
    this.gpu = readReplayCapture(captureText, 'gpu');
    this.apps =
      opts.computeAppsText === undefined
        ? { columns: [], blocks: [] }
        : readReplayCapture(opts.computeAppsText, 'compute-apps');
  }

  /** How many sample blocks the capture holds. */
  get blockCount(): number {
    return this.gpu.blocks.length;
  }

  async run(_cmd: string, args: readonly string[]): Promise<CommandResult> {
    const request = parseReplayArgs(args);
    const current = Math.max(0, this.emitted - 1);
    const answer = 'error' in request ? refuse(request.error) : this.answer(request, current);
    const stdout = answer.lines.map((l) => `${l}\n`).join('');
    return { code: answer.code, stdout, stderr: answer.stderr };
  }

  spawnLines(_cmd: string, args: readonly string[], handlers: LineStreamHandlers): LineStream {
    const request = parseReplayArgs(args);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let first = true;
    const tick = (): void => {
      timer = undefined;
      if (stopped) return;
      const answer =
        'error' in request ? refuse(request.error) : this.answer(request, this.emitted++, first);
      first = false;
      for (const line of answer.lines) if (!stopped) handlers.onLine(line);
      if (stopped) return;
      const loopMs = 'error' in request ? undefined : request.loopMs;
      if (answer.code !== 0 || loopMs === undefined) handlers.onExit(answer.code, answer.stderr);
      else timer = setTimeout(tick, loopMs);
    };
    timer = setTimeout(tick, 0);
    return {
      stop() {
        stopped = true;
        if (timer !== undefined) clearTimeout(timer);
      },
    };
  }

  /** The output for one sample block; the header only when asked and `withHeader`. */
  private answer(request: ReplayRequest, block: number, withHeader = true): Answer {
    const capture = request.kind === 'gpu' ? this.gpu : this.apps;
    if (capture.problem !== undefined) return refuse(`nvidia-smi replay: ${capture.problem}`);
    if (request.kind === 'gpu' && capture.blocks.length === 0) {
      return { code: 6, lines: ['No devices were found'], stderr: '' };
    }
    const view = project(capture.columns, request.fields, request.kind, request.nounits);
    if ('invalid' in view) {
      return {
        code: 2,
        lines: invalidFieldMessage(view.invalid).split('\n').slice(0, -1),
        stderr: '',
      };
    }
    const rows: ReplayLine[] =
      capture.blocks.length === 0 ? [] : capture.blocks[block % capture.blocks.length]!;
    const lines = rows.map((r) => view.render(r));
    return {
      code: 0,
      lines: !request.noheader && withHeader ? [view.header, ...lines] : lines,
      stderr: '',
    };
  }
}

function refuse(message: string): Answer {
  return { code: 2, lines: [], stderr: `${message}\n` };
}

export function createNvidiaReplayRunner(
  captureText: string,
  opts?: NvidiaReplayOptions,
): NvidiaReplayRunner {
  return new NvidiaReplayRunner(captureText, opts);
}
