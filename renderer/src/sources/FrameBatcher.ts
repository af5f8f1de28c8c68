/**
 * When sources hand data over: on animation frames, so a burst of messages (the 120 s backlog on
 * connect, or 4,096 devices at 2 Hz) costs one store update and one render instead of hundreds,
 * and on timers where frames stop (hidden tabs). IngestQueue.ts decodes and batches on it, in
 * slices; tests drive it by hand (testing/ManualScheduler.ts).
 */
export interface FrameScheduler {
  /** Calls `callback` before the next paint; returns a cancel function. */
  requestFrame(callback: () => void): () => void;
  /** Calls `callback` after `ms`; returns a cancel function. */
  setTimer(callback: () => void, ms: number): () => void;
}

export const browserScheduler: FrameScheduler = {
  requestFrame(callback) {
    const id = requestAnimationFrame(() => callback());
    return () => cancelAnimationFrame(id);
  },
  setTimer(callback, ms) {
    const id = setTimeout(callback, ms);
    return () => clearTimeout(id);
  },
};

/** How long a hidden tab may hold messages before they are handled without a frame. */
export const HIDDEN_FLUSH_MS = 1000;
