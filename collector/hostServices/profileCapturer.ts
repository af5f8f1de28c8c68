/**
 * The profile capturer a host's services run (HostServices.captureProfile): for the desktop's main
 * process, which reaches the collector only through collector/hostServices, and for tests that
 * inject their own capture.
 */
import { createSystemRunner } from '../probes/systemRunner.js';
import { ProfileCapturer } from '../profiling/ProfileCapturer.js';

export { ProfileCapturer };

/** Captures of this machine's processes with the real py-spy and perf, named `node`. */
export function createProfileCapturer(node: string): ProfileCapturer {
  return new ProfileCapturer({ runner: createSystemRunner(), node });
}
