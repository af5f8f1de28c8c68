/**
 * A CommandRunner that answers nvidia-smi from a recorded `--query-gpu … --format=csv` capture
 * (`--replay nvidia-smi=FILE`: the file is read block by block as the replay goes, see
 * ReplayBlocks; tests pass the text). Columns are reordered to the query, units dropped for
 * `nounits`; a looping query (`-lms N`) gets the capture's blocks one every N ms, over and over, and
 * a one-shot query gets the block last streamed. Compute apps come from an optional second capture,
 * else there are none.
 */
import { MAX_LINE_BYTES, OVERLONG_LINE, textLines, type LineSource } from '../replayLines.js';
import type { CommandResult, CommandRunner, LineStream, LineStreamHandlers } from '../types.js';
import { parseReplayArgs, type ReplayRequest } from './replayArgs.js';
import {
  invalidFieldMessage,
  project,
  readReplayCapture,
  ReplayBlocks,
  type ReplayCapture,
  type ReplayLine,
} from './replayCapture.js';

export interface NvidiaReplayOptions {
  /** A recorded `--query-compute-apps … --format=csv` output. */
  computeAppsText?: string;
  /** A recorded `nvidia-smi nvlink -s` output (the health checks ask for it). */
  nvlinkText?: string;
  /** A recorded `nvidia-smi -q -x` output (the health checks ask for it now and then). */
  xmlText?: string;
}

interface Answer {
  code: number;
  lines: string[];
  stderr: string;
}

export class NvidiaReplayRunner implements CommandRunner {
  private readonly gpu: ReplayBlocks;
  private readonly apps: ReplayCapture;
  private readonly nvlinkText: string | undefined;
  private readonly xmlText: string | undefined;
  /** Blocks streamed so far, all streams together: the replay's clock. */
  private emitted = 0;

  /** `capture`: the capture's text, or its lines (replayLines.ts: fileLines streams a file). */
  constructor(capture: string | LineSource, opts: NvidiaReplayOptions = {}) {
    this.gpu = new ReplayBlocks(typeof capture === 'string' ? textLines(capture) : capture, 'gpu');
    this.apps =
      opts.computeAppsText === undefined
        ? { columns: [], blocks: [] }
        : readReplayCapture(opts.computeAppsText, 'compute-apps');
    this.nvlinkText = opts.nvlinkText;
    this.xmlText = opts.xmlText;
  }

  /** How many sample blocks the capture holds (reads it through once). */
  get blockCount(): number {
    return this.gpu.problem === undefined ? this.gpu.count() : 0;
  }

  async run(_cmd: string, args: readonly string[]): Promise<CommandResult> {
    if (args[0] === 'nvlink') return this.nvlink(args);
    if (args.length === 2 && args[0] === '-q' && args[1] === '-x') return this.xml(args);
    const request = parseReplayArgs(args);
    const current = Math.max(0, this.emitted - 1);
    const answer = 'error' in request ? refuse(request.error) : this.answer(request, current);
    const stdout = answer.lines
      .filter((l) => l !== OVERLONG_LINE)
      .map((l) => `${l}\n`)
      .join('');
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
      for (const line of answer.lines) {
        if (stopped) break;
        // As the system runner does: a line past the ceiling is skipped and said.
        if (line === OVERLONG_LINE) handlers.onTooLong?.(MAX_LINE_BYTES);
        else handlers.onLine(line);
      }
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

  /** `nvlink -s` from its recording; without one, or for another nvlink query, a refusal. */
  private nvlink(args: readonly string[]): CommandResult {
    const text = this.nvlinkText;
    if (args.length === 2 && (args[1] === '-s' || args[1] === '--status') && text !== undefined) {
      return { code: 0, stdout: text, stderr: '' };
    }
    return {
      code: 2,
      stdout: '',
      stderr: `nvidia-smi replay: no recording of nvidia-smi ${args.join(' ')}\n`,
    };
  }

  /** `-q -x` from its recording; without one, a refusal. */
  private xml(args: readonly string[]): CommandResult {
    const text = this.xmlText;
    if (text !== undefined) return { code: 0, stdout: text, stderr: '' };
    return {
      code: 2,
      stdout: '',
      stderr: `nvidia-smi replay: no recording of nvidia-smi ${args.join(' ')}\n`,
    };
  }

  /** The output for one sample block; the header only when asked and `withHeader`. */
  private answer(request: ReplayRequest, block: number, withHeader = true): Answer {
    const capture = request.kind === 'gpu' ? this.gpu : this.apps;
    if (capture.problem !== undefined) return refuse(`nvidia-smi replay: ${capture.problem}`);
    let gpuRows: ReplayLine[] | undefined;
    try {
      gpuRows = request.kind === 'gpu' ? this.gpu.block(block) : undefined;
    } catch (error) {
      // The file went away or became unreadable mid-replay: a failed run, not a crash.
      return refuse(`nvidia-smi replay: cannot read the capture (${(error as Error).message})`);
    }
    if (request.kind === 'gpu' && gpuRows === undefined) {
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
    const apps = this.apps.blocks;
    const rows: ReplayLine[] = gpuRows ?? (apps.length === 0 ? [] : apps[block % apps.length]!);
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
  capture: string | LineSource,
  opts?: NvidiaReplayOptions,
): NvidiaReplayRunner {
  return new NvidiaReplayRunner(capture, opts);
}
