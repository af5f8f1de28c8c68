/**
 * "Profile all nodes" on an engine row (where the page's source can capture): every instance of
 * the model profiled at once by its node's agent (profiles/engineProfiles.ts). Here: how many are
 * still running, with Cancel all; the rows, the nodes' entries and the merged one are in the
 * Profiles view's list, where any two can be diffed.
 */
import { useContext, useEffect, useRef, useSyncExternalStore } from 'react';

import { DEFAULT_CAPTURE_SECONDS } from '../../../../collector/core/protocol/profileCapture.js';
import { ProfileCaptureContext } from '../../profiles/captureProfile.js';
import { profileEngine, type EngineRun } from '../../profiles/engineProfiles.js';
import type { LibraryState } from '../../profiles/ProfileLibrary.js';
import { ProfilesContext } from '../../profiles/profilesContext.js';
import type { EngineProfilePlan } from './prepareEngineProfile.js';

const EMPTY: LibraryState = { entries: [], pending: [] };

export interface ProfileEngineButtonProps {
  plan: EngineProfilePlan;
  /** The run begun from this model's rows, kept by the table across scrolling. */
  run: EngineRun | undefined;
  onStart: (run: EngineRun) => void;
  /** The store clock's time. */
  now: number;
}

export function ProfileEngineButton({ plan, run, onStart, now }: ProfileEngineButtonProps) {
  const port = useContext(ProfileCaptureContext);
  const library = useContext(ProfilesContext)?.library;
  const state = useSyncExternalStore(
    library?.subscribe ?? (() => () => {}),
    library?.getState ?? (() => EMPTY),
  );
  const clock = useRef(now);
  useEffect(() => {
    clock.current = now;
  }, [now]);
  if (!port || !library || plan.instances.length === 0) return null;
  const mine = run ? state.pending.filter((p) => run.pendingIds.includes(p.id)) : [];
  const running = mine.filter((p) => p.error === undefined).length;
  const failed = mine.length - running;
  const count = `${plan.nodes} node${plan.nodes === 1 ? '' : 's'}`;
  if (run && running > 0) {
    return (
      <span className="engine-profile" role="status">
        profiling {plan.model} on {count}: {run.pendingIds.length - running} of{' '}
        {run.pendingIds.length} done{failed > 0 ? `, ${failed} failed` : ''}{' '}
        <button type="button" className="mini-button" onClick={() => run.cancelAll()}>
          Cancel all
        </button>
      </span>
    );
  }
  return (
    <span className="engine-profile">
      <button
        type="button"
        className="mini-button"
        aria-label={`Profile ${plan.model} on all its nodes (${count}, ${DEFAULT_CAPTURE_SECONDS} s)`}
        title={`py-spy (or perf) for ${DEFAULT_CAPTURE_SECONDS} s on each of ${count}, then merged; results in Profiles`}
        onClick={() =>
          onStart(
            profileEngine({
              library,
              port,
              model: plan.model,
              instances: plan.instances,
              durationS: DEFAULT_CAPTURE_SECONDS,
              now: () => clock.current,
            }),
          )
        }
      >
        Profile all
      </button>
      {run && failed > 0 ? (
        <span className="engine-profile-failed" role="alert">
          {' '}
          {failed} failed (in Profiles)
        </span>
      ) : null}
    </span>
  );
}
