/**
 * A snapshot file as a recorded source: the MCAP reader over the file's ranges, ONE player on
 * top, and a store the player drives (followPlayer: the store's clock is the recording's). The
 * views read the store exactly as they read a live cluster's.
 */
import { parsePrometheusAnswer } from '../../../collector/core/snapshot/prometheusAnswer.js';
import type { RecordedProfiles } from '../../../collector/core/snapshot/readProfiles.js';
import { SnapshotReader } from '../../../collector/core/snapshot/SnapshotReader.js';
import { browserPlayerScheduler, type PlayerScheduler } from '../player/PlaybackClock.js';
import { Player } from '../player/Player.js';
import type { OpenedFile } from '../platform/Platform.js';
import type { PrometheusSource } from '../sources/prometheus/PrometheusSource.js';
import { recordedPrometheusSource } from '../sources/prometheus/recordedPrometheus.js';
import { capabilities, type FileSourceFactory } from '../sources/SourceFactory.js';
import { followPlayer } from '../store/followPlayer.js';
import { FLEET_STORE_OPTIONS, LiveStore } from '../store/LiveStore.js';

export interface Recording {
  /** The file's name, as the sidebar shows it. */
  readonly name: string;
  readonly size: number;
  readonly player: Player;
  readonly store: LiveStore;
  /**
   * The Prometheus answers the file keeps (the Latency view offline), once read: a source when
   * there are any, and why any stored answer could not be used.
   */
  readonly history: Promise<RecordedHistory>;
  /**
   * The profiles the file keeps (`osprey.profile`), read once; addRecordedProfiles puts them in
   * the console's list. A file that cannot be read has none (the player says why).
   */
  readonly profiles: Promise<RecordedProfiles>;
  /** Stops reading; the player's state becomes `closed`. */
  close(): void;
}

export interface RecordedHistory {
  prometheus?: PrometheusSource;
  problems: string[];
}

export const SNAPSHOT_EXTENSIONS = ['mcap'] as const;

export function snapshotSourceFactory(
  scheduler: PlayerScheduler = browserPlayerScheduler,
): FileSourceFactory<Recording> {
  return {
    id: 'snapshot',
    kind: 'recorded',
    displayName: 'Osprey snapshot (MCAP)',
    // `history` is per file: a recording page adds it when the file holds Prometheus answers.
    capabilities: capabilities('seek', 'playbackSpeed'),
    extensions: SNAPSHOT_EXTENSIONS,
    create: (file: OpenedFile) => openRecording(file, scheduler),
  };
}

/** Starts opening `file`; a file that cannot be read leaves the player in `error`, with why. */
export function openRecording(file: OpenedFile, scheduler: PlayerScheduler): Recording {
  const reader = new SnapshotReader(file);
  // A seek shows the minute before the moment too (the drawer's chart, the host charts), bounded
  // for big fleets by the player's message budget.
  const player = new Player(reader, { scheduler, prerollMs: 60_000 });
  // A recording is of one cluster (`osprey record --cluster C`, or a cluster page's Record), so
  // node names are shown as they are. Ages and "silent" are measured on the player's clock.
  const store = new LiveStore(FLEET_STORE_OPTIONS);
  const unfollow = followPlayer(store, player);
  void player.initialize();
  return {
    name: file.name,
    size: file.size,
    player,
    store,
    history: readHistory(reader, file.name),
    profiles: reader.profiles().catch(() => ({ profiles: [], problems: [] })),
    close: () => {
      unfollow();
      void player.close();
    },
  };
}

/** The file's Prometheus answers as a source; a file that cannot be read has none (the player says why). */
export async function readHistory(reader: SnapshotReader, name: string): Promise<RecordedHistory> {
  const stored = await reader.prometheusAnswers().catch(() => []);
  const problems: string[] = [];
  const answers = stored.flatMap((a) => {
    const parsed = parsePrometheusAnswer(a.value);
    if (typeof parsed !== 'string') return [parsed];
    problems.push(`Prometheus answer ${a.name} is not usable: ${parsed}`);
    return [];
  });
  return answers.length > 0
    ? { prometheus: recordedPrometheusSource(answers, name), problems }
    : { problems };
}
