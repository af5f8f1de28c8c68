/**
 * "Profile 10 s" from the console: the page's capture (the local collector's API or a NATS
 * node's agent; sources/profileCapture.ts) begun as a pending row in the console's profile list,
 * with its cancel, then settled with the profile read by the same importers as a file (folded for
 * py-spy, perf script for perf) or with the message that says what to do.
 */
import { createContext } from 'react';

import { importFolded } from '../../../collector/core/profile/importers/folded.js';
import { importPerfScript } from '../../../collector/core/profile/importers/perfScript.js';
import type { ProfileSet } from '../../../collector/core/profile/model.js';
import type { CapturedProfile } from '../../../collector/core/protocol/profileCapture.js';
import type {
  AnyCaptureRequest,
  CaptureCall,
  CaptureRequest,
  CaptureTarget,
} from '../sources/profileCapture.js';
import type { ProfileLibrary } from './ProfileLibrary.js';

/** What a live page offers its views when its source can capture. */
export interface CapturePort {
  /** 'local' for this machine's collector, else the connection's name. */
  readonly connection: string;
  capture(
    target: CaptureTarget,
    request: AnyCaptureRequest,
    call: CaptureCall,
  ): Promise<CapturedProfile>;
}

/** Provided by the live page (LivePage.tsx) when its source can capture; absent otherwise. */
export const ProfileCaptureContext = createContext<CapturePort | undefined>(undefined);

/** The capture read as a profile set, named and described by what the node said of it. */
export function capturedSet(profile: CapturedProfile): ProfileSet {
  const name = `${profile.tool} · pid ${profile.pid} · ${profile.node}`;
  const input = { name, bytes: new TextEncoder().encode(profile.text) };
  const set = profile.format === 'folded' ? importFolded(input) : importPerfScript(input);
  return {
    ...set,
    name,
    meta: {
      ...set.meta,
      source: profile.tool,
      durationNs: profile.durationS * 1e9,
      rateHz: profile.rateHz,
      startMs: profile.startedAtMs,
    },
    warnings: [...profile.warnings, ...set.warnings],
  };
}

export interface StartCaptureOptions {
  library: ProfileLibrary;
  port: CapturePort;
  target: CaptureTarget;
  request: CaptureRequest;
  /** The store clock (views read time from it, never Date.now()). */
  now: () => number;
}

/** Begins the capture; returns the pending row's id. Cancel removes the row. */
export function startCapture({ library, port, target, request, now }: StartCaptureOptions): string {
  const controller = new AbortController();
  let cancelled = false;
  const id = library.begin({
    label: `pid ${request.pid} · ${target.node}`,
    startedAtMs: now(),
    durationMs: request.durationS * 1000,
    cancel: () => {
      cancelled = true;
      controller.abort();
      library.remove(id);
    },
  });
  port.capture(target, request, { signal: controller.signal }).then(
    (profile) => {
      let set: ProfileSet;
      try {
        set = capturedSet(profile);
      } catch (error) {
        library.settle(id, { error: `the capture could not be read: ${(error as Error).message}` });
        return;
      }
      library.settle(id, {
        set,
        origin: {
          kind: 'capture',
          node: profile.node,
          pid: profile.pid,
          tool: profile.tool,
          connection: port.connection,
        },
        atMs: now(),
      });
    },
    (error: unknown) => {
      if (!cancelled) library.settle(id, { error: (error as Error).message });
    },
  );
  return id;
}
