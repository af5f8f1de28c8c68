/**
 * Eagle Eye messages on one NATS connection → ordinary metrics messages. Each message is parsed
 * and mapped (collector/core/eagleEye), gathered per engine, and drained once per window as one
 * metrics message per node; every drained message still passes the wire validator, so nothing
 * reaches the store that the protocol would refuse.
 */
import { EagleEyeWindow } from '../../../../collector/core/eagleEye/EagleEyeWindow.js';
import { mapEagleEye } from '../../../../collector/core/eagleEye/mapEagleEye.js';
import type { EagleEyeMapping } from '../../../../collector/core/eagleEye/mapping.js';
import { validateMessage } from '../../../../collector/core/protocol/decode.js';
import type { MetricsMessage } from '../../../../collector/core/protocol/spec.js';
import { EAGLE_EYE_SUBJECT } from '../../../../collector/core/protocol/subjects.js';
import type { FrameScheduler } from '../FrameBatcher.js';

/** A per-step stats message is a few hundred bytes; anything near this is not one. */
export const MAX_EAGLE_EYE_BYTES = 64 * 1024;

export interface EagleEyeFeedOptions {
  mapping: EagleEyeMapping;
  /** For readings whose mapping names no cluster: the connection's filter, else "eagle-eye". */
  cluster: string;
  windowMs: number;
  scheduler: FrameScheduler;
  now: () => number;
  deliver: (messages: MetricsMessage[]) => void;
  problem: (key: string, message: string) => void;
}

const utf8 = new TextDecoder('utf-8');

export class EagleEyeFeed {
  private readonly window: EagleEyeWindow;
  private cancel: (() => void) | undefined;

  constructor(private readonly opts: EagleEyeFeedOptions) {
    this.window = new EagleEyeWindow(opts.mapping.framework ?? 'vllm');
  }

  receive(data: Uint8Array): void {
    const { problem } = this.opts;
    if (data.byteLength > MAX_EAGLE_EYE_BYTES) {
      problem(
        'eagle-eye:oversized',
        `Eagle Eye message dropped: ${data.byteLength} bytes, over the ${MAX_EAGLE_EYE_BYTES}-byte limit`,
      );
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(utf8.decode(data));
    } catch (error) {
      problem(
        'eagle-eye:not-json',
        `Eagle Eye message dropped: not JSON (${(error as Error).message})`,
      );
      return;
    }
    const result = mapEagleEye(parsed, this.opts.mapping);
    if (!result.ok) {
      problem(
        `eagle-eye:${result.problem.key}`,
        `Eagle Eye message dropped: ${result.problem.message} (check the mapping of this connection)`,
      );
      return;
    }
    for (const w of result.warnings) {
      problem(`eagle-eye:${w.key}`, `Eagle Eye on ${EAGLE_EYE_SUBJECT}: ${w.message}`);
    }
    if (!this.window.add(result.reading, this.opts.cluster, this.opts.now())) {
      problem('eagle-eye:engines', 'Eagle Eye message dropped: too many engines in one window');
      return;
    }
    this.cancel ??= this.opts.scheduler.setTimer(() => this.drain(), this.opts.windowMs);
  }

  drain(): void {
    this.cancel?.();
    this.cancel = undefined;
    const good: MetricsMessage[] = [];
    for (const message of this.window.drain(this.opts.windowMs)) {
      const check = validateMessage(message);
      if (check.ok) good.push(message);
      else {
        this.opts.problem(
          'eagle-eye:invalid',
          `Eagle Eye readings of node "${message.node.slice(0, 64)}" dropped: ${check.problem.message}`,
        );
      }
    }
    if (good.length > 0) this.opts.deliver(good);
  }

  clear(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.window.drain(this.opts.windowMs);
  }
}
