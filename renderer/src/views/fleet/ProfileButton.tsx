/**
 * "Profile 10 s" beside a process in the device drawer (per-process device memory names its
 * pid): asks the page's source to capture (ProfileCaptureContext, only where the source can), and
 * adds the pending capture to the console's profile list, where the Profiles view shows its
 * progress and the profile when it arrives. Here: running with a Cancel, or the failure's message
 * (missing tool, permission with the fix, process gone, agent without --allow-profiling).
 */
import { useContext, useEffect, useRef, useState, useSyncExternalStore } from 'react';

import { DEFAULT_CAPTURE_SECONDS } from '../../../../collector/core/protocol/profileCapture.js';
import { ProfileCaptureContext, startCapture } from '../../profiles/captureProfile.js';
import { ProfilesContext } from '../../profiles/profilesContext.js';

const EMPTY = { entries: [], pending: [] };

export interface ProfileButtonProps {
  pid: number;
  cluster: string;
  node: string;
  /** The store clock's time. */
  now: number;
}

export function ProfileButton({ pid, cluster, node, now }: ProfileButtonProps) {
  const port = useContext(ProfileCaptureContext);
  const profiles = useContext(ProfilesContext);
  const library = profiles?.library;
  const state = useSyncExternalStore(
    library?.subscribe ?? (() => () => {}),
    library?.getState ?? (() => EMPTY),
  );
  const [pendingId, setPendingId] = useState<string | undefined>();
  const clock = useRef(now);
  useEffect(() => {
    clock.current = now;
  }, [now]);
  if (!port || !library) return null;
  const pending = state.pending.find((p) => p.id === pendingId);
  const running = pending !== undefined && pending.error === undefined;
  const label = `Profile ${DEFAULT_CAPTURE_SECONDS} s`;
  return (
    <span className="drawer-profile" data-pid={pid}>
      {running ? (
        <>
          <span className="drawer-profile-state" role="status">
            profiling pid {pid}… (in Profiles)
          </span>
          <button type="button" onClick={() => pending.cancel()}>
            Cancel
          </button>
        </>
      ) : (
        <button
          type="button"
          aria-label={`${label}: pid ${pid} on ${node}`}
          onClick={() =>
            setPendingId(
              startCapture({
                library,
                port,
                target: { cluster, node },
                request: { pid, durationS: DEFAULT_CAPTURE_SECONDS },
                now: () => clock.current,
              }),
            )
          }
        >
          {label}
        </button>
      )}
      {pending?.error !== undefined ? (
        <span className="drawer-profile-error" role="alert">
          {pending.error}
        </span>
      ) : null}
    </span>
  );
}
