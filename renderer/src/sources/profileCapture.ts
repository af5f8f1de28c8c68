/**
 * Sources that can ask a node for a CPU profile (capability `profiles`): the local collector over
 * its API, a NATS cluster over request/reply to the node's agent. Views never see a source; the
 * live page hands the capture to the views through ProfileCaptureContext (profiles/).
 */
import type {
  CapturedProfile,
  CaptureProgress,
  CaptureRequest,
} from '../../../collector/core/protocol/profileCapture.js';
import type {
  AnyCaptureRequest,
  EngineCaptureRequest,
} from '../../../collector/core/protocol/engineCapture.js';

export type {
  AnyCaptureRequest,
  CapturedProfile,
  CaptureProgress,
  CaptureRequest,
  EngineCaptureRequest,
};

/** The node to profile on: its cluster and its own name, as its messages carry them. */
export interface CaptureTarget {
  readonly cluster: string;
  readonly node: string;
}

export interface CaptureCall {
  /** Aborting cancels: the node kills its tool and removes its files. */
  readonly signal?: AbortSignal | undefined;
  /** About every second while the tool runs. */
  readonly onProgress?: ((progress: CaptureProgress) => void) | undefined;
}

export interface ProfileCapturing {
  /**
   * Rejects with a CaptureError whose message says what to do (a missing tool, a permission with
   * the exact sysctl, a process that exited, an agent without --allow-profiling).
   */
  captureProfile(
    target: CaptureTarget,
    /** By pid, or by engine (`{engine: {framework, port?}}`, resolved to its process on the node). */
    request: AnyCaptureRequest,
    call?: CaptureCall,
  ): Promise<CapturedProfile>;
}

export function canCaptureProfiles(source: unknown): source is ProfileCapturing {
  return (
    typeof source === 'object' &&
    source !== null &&
    typeof (source as Partial<ProfileCapturing>).captureProfile === 'function'
  );
}
