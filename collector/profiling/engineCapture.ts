/**
 * A capture asked by engine (core/protocol/engineCapture.ts) on this machine: the target resolved
 * to its process (engineProcess.ts), then captured like any pid through the collector's one
 * ProfileCapturer (one capture per process, a few at once), with py-spy's `--subprocesses` so a
 * vLLM V1 server's EngineCore child (its scheduler loop) is in the profile. The profile's warnings
 * start with how the process was found.
 */
import {
  checkAnyCaptureRequest,
  checkEngineCaptureRequest,
  describeEngine,
  isEngineRequest,
  type EngineTarget,
} from '../core/protocol/engineCapture.js';
import type { CapturedProfile, CaptureProgress } from '../core/protocol/profileCapture.js';
import { REAL_ENGINE_PROC, resolveEngine, type EngineProcFs } from './engineProcess.js';
import type { ProfileCapturer } from './ProfileCapturer.js';

export interface EngineCaptureDeps {
  readonly capturer: Pick<ProfileCapturer, 'start' | 'cancel' | 'node'>;
  readonly proc?: EngineProcFs | undefined;
  /** This process, never a candidate (the agent itself may match a framework's name). */
  readonly ownPid?: number | undefined;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: CaptureProgress) => void) | undefined;
}

export async function captureEngine(
  input: unknown,
  call: CallOptions,
  deps: EngineCaptureDeps,
): Promise<CapturedProfile> {
  const request = checkEngineCaptureRequest(input);
  const node = deps.capturer.node;
  const found = await resolveEngine(
    request.engine,
    node,
    deps.proc ?? REAL_ENGINE_PROC,
    deps.ownPid,
  );
  const profile = await deps.capturer.start({
    pid: found.pid,
    durationS: request.durationS,
    native: request.native,
    subprocesses: true,
    signal: call.signal,
    onProgress: call.onProgress,
  });
  return {
    ...profile,
    warnings: [
      `${describeEngine(request.engine)} on ${node}: pid ${found.pid}, ${found.how}`,
      ...found.warnings,
      ...profile.warnings,
    ],
  };
}

/** Cancels the capture of the engine's process; false when none runs (or it is not found). */
export async function cancelEngine(
  target: EngineTarget,
  deps: EngineCaptureDeps,
): Promise<boolean> {
  try {
    const found = await resolveEngine(
      target,
      deps.capturer.node,
      deps.proc ?? REAL_ENGINE_PROC,
      deps.ownPid,
    );
    return deps.capturer.cancel(found.pid);
  } catch {
    return false;
  }
}

/** Either form of request (pid or engine), checked, captured: the doors' one call. */
export function captureAny(
  input: unknown,
  call: CallOptions,
  deps: EngineCaptureDeps,
): Promise<CapturedProfile> {
  const request = checkAnyCaptureRequest(input);
  return isEngineRequest(request)
    ? captureEngine(request, call, deps)
    : deps.capturer.start({ ...request, ...call });
}
