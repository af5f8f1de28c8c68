/**
 * "Profile this engine on all its nodes": one capture per engine instance of the model, all at
 * once, each by engine target (its framework and the port of its `host:port` label; the node's
 * agent finds the process). Each is a pending row in the console's profile list with its own
 * progress and cancel, and becomes that node's entry when it arrives; a node that fails keeps its
 * row with why, without stopping the others. When all have ended, the successful ones are merged
 * (core mergeProfiles: the merged total is the sum of theirs) into one more entry,
 * "llama-70b · 8 nodes · merged". The Profiles view's diff takes any two of these entries.
 */
import { DiffUnitError } from '../../../collector/core/profile/diff.js';
import { mergeProfiles } from '../../../collector/core/profile/merge.js';
import type { Profile, ProfileSet } from '../../../collector/core/profile/model.js';
import {
  describeEngine,
  type EngineTarget,
} from '../../../collector/core/protocol/engineCapture.js';
import type { CapturedProfile } from '../../../collector/core/protocol/profileCapture.js';
import { capturedSet, type CapturePort } from './captureProfile.js';
import type { ProfileEntry, ProfileLibrary } from './ProfileLibrary.js';

/** One engine instance to capture: where its node's agent answers, and how to find it there. */
export interface EngineInstance {
  readonly cluster: string;
  /** The node's own name (what its agent answers to). */
  readonly node: string;
  /** The engine label, for the row ("10.0.0.7:8000"). */
  readonly engine: string;
  readonly target: EngineTarget;
}

export interface ProfileEngineOptions {
  readonly library: ProfileLibrary;
  readonly port: CapturePort;
  /** The model label the instances share, for the names ("llama-70b · node-3"). */
  readonly model: string;
  readonly instances: readonly EngineInstance[];
  readonly durationS: number;
  /** The store clock. */
  readonly now: () => number;
}

export interface EngineRunResult {
  /** The nodes' entries, in the order asked. */
  readonly entries: readonly ProfileEntry[];
  readonly merged: ProfileEntry | undefined;
  /** "node-4: no vllm engine process found on node-4: …", one per failed node. */
  readonly failures: readonly string[];
  readonly cancelled: boolean;
}

export interface EngineRun {
  /** The pending rows' ids, one per instance. */
  readonly pendingIds: readonly string[];
  /** Cancels every capture still running; no merged entry is made. */
  cancelAll(): void;
  readonly done: Promise<EngineRunResult>;
}

/**
 * Strips the pid from py-spy's `--subprocesses` root frames (`process 4121:"vllm serve …"`), so
 * the same server on eight nodes merges into one tower instead of eight.
 */
export function withoutPids(profile: Profile): Profile {
  return {
    ...profile,
    frames: profile.frames.map((f) =>
      /^process \d+:/.test(f.name)
        ? { ...f, name: f.name.replace(/^process \d+:/, 'process ') }
        : f,
    ),
  };
}

/** The nodes' sets as one: every profile of every set, pids stripped, summed. */
export function mergeEngineSets(sets: readonly ProfileSet[], name: string): ProfileSet {
  const first = sets[0];
  if (!first) throw new DiffUnitError('nothing to merge: no node gave a profile');
  const merged = mergeProfiles(
    sets.flatMap((s) => s.profiles.map(withoutPids)),
    name,
  );
  return {
    format: first.format,
    name,
    profiles: [merged],
    meta: {
      source: first.meta.source,
      durationNs: first.meta.durationNs,
      rateHz: first.meta.rateHz,
      startMs: Math.min(...sets.map((s) => s.meta.startMs ?? Infinity)),
    },
    warnings: sets.flatMap((s) => s.warnings.map((w) => `${s.name}: ${w}`)),
  };
}

export function profileEngine(options: ProfileEngineOptions): EngineRun {
  const { library, port, model, instances, durationS, now } = options;
  const controllers: AbortController[] = [];
  let cancelled = false;
  const pendingIds: string[] = [];
  const failures: string[] = [];
  const sameNodeTwice = (node: string) => instances.filter((i) => i.node === node).length > 1;
  const runs = instances.map((instance) => {
    const controller = new AbortController();
    controllers.push(controller);
    // Two engines of the model on one node: the engine label tells them apart.
    const where = sameNodeTwice(instance.node)
      ? `${instance.node} ${instance.engine}`
      : instance.node;
    const id = library.begin({
      label: `${model} · ${where} · ${describeEngine(instance.target)}`,
      startedAtMs: now(),
      durationMs: durationS * 1000,
      cancel: () => {
        controller.abort();
        library.remove(id);
      },
    });
    pendingIds.push(id);
    return port
      .capture(
        { cluster: instance.cluster, node: instance.node },
        { engine: instance.target, durationS },
        { signal: controller.signal },
      )
      .then(
        (profile) => settled(id, where, profile, controller.signal),
        (error: unknown) => {
          // A cancelled row was removed by its cancel; a failed one stays with why.
          if (controller.signal.aborted) return undefined;
          const message = `${where}: ${(error as Error).message}`;
          failures.push(message);
          library.settle(id, { error: message });
          return undefined;
        },
      );
  });

  /** Each node's entry as soon as it arrives: the others keep running. */
  function settled(
    id: string,
    where: string,
    profile: CapturedProfile,
    signal: AbortSignal,
  ): { entry: ProfileEntry; where: string; tool: CapturedProfile['tool'] } | undefined {
    if (signal.aborted) return undefined;
    let set: ProfileSet;
    try {
      set = { ...capturedSet(profile), name: `${model} · ${where}` };
    } catch (error) {
      const message = `${where}: the capture could not be read: ${(error as Error).message}`;
      failures.push(message);
      library.settle(id, { error: message });
      return undefined;
    }
    const entry = library.settle(id, {
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
    return entry ? { entry, where, tool: profile.tool } : undefined;
  }

  const done = (async (): Promise<EngineRunResult> => {
    const arrived = (await Promise.all(runs)).filter((r) => r !== undefined);
    const entries = arrived.map((r) => r.entry);
    let merged: ProfileEntry | undefined;
    if (!cancelled && arrived.length > 1) {
      const nodeCount = new Set(
        arrived.map((r) => r.entry.origin.kind === 'capture' && r.entry.origin.node),
      ).size;
      const nodesText = `${nodeCount} node${nodeCount === 1 ? '' : 's'}`;
      const name =
        nodeCount === arrived.length
          ? `${model} · ${nodesText} · merged`
          : `${model} · ${arrived.length} engines on ${nodesText} · merged`;
      try {
        merged = library.add(
          mergeEngineSets(
            entries.map((e) => e.set),
            name,
          ),
          {
            kind: 'merged',
            nodes: arrived.map((r) => r.where),
            tool: arrived[0]!.tool,
            connection: port.connection,
          },
          now(),
        );
      } catch (error) {
        // py-spy on one node and perf on another measure differently: said, not summed.
        const id = library.begin({
          label: name,
          startedAtMs: now(),
          durationMs: 1,
          cancel: () => library.remove(id),
        });
        library.settle(id, { error: `not merged: ${(error as Error).message}` });
      }
    }
    return { entries, merged, failures, cancelled };
  })();

  return {
    pendingIds,
    cancelAll: () => {
      cancelled = true;
      for (const [i, c] of controllers.entries()) {
        if (!c.signal.aborted) {
          c.abort();
          library.remove(pendingIds[i]!);
        }
      }
    },
    done,
  };
}
