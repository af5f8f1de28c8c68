/**
 * A recorded source drives the store's clock (issue 11, item 3): the player's batches carry
 * recording time (PlayerBatch.receivedAt) and a seek's backfill resets the store (LiveStore.ingest
 * honours `seek`); between batches the player's own clock ticks the store, so ages and fades move
 * with playback (and stop with pause) as they move with the wall clock for a live source.
 */
import type { PlayerBatch, PlayerStatus } from '../player/playerTypes.js';
import { splitByReceiveTime } from '../player/sourceBatches.js';
import type { LiveStore } from './LiveStore.js';

/** What this needs of a Player (player/Player.ts). */
export interface PlayerFeed {
  readonly status: Pick<PlayerStatus, 'currentTime' | 'lastSeekTime'>;
  subscribe(listener: (batch: PlayerBatch) => void): () => void;
  subscribeStatus(listener: () => void): () => void;
}

/** Feeds `player` into `store` until the returned function is called. */
export function followPlayer(store: LiveStore, player: PlayerFeed): () => void {
  const offBatches = player.subscribe((batch) => {
    if (!batch.seek) {
      store.ingest(batch);
      return;
    }
    // A backfill's messages keep their own receipt times: stamped all at the seek time, a node
    // silent for minutes before it would look fresh (its clock offset taken as minutes). The
    // store resets at the seek time first; older receipt times never move its clock back.
    store.seek(batch.receivedAt);
    for (const part of splitByReceiveTime(batch)) store.ingest(part);
  });
  const offStatus = player.subscribeStatus(() => {
    const { currentTime, lastSeekTime } = player.status;
    // While a seek's backfill is on its way the player's clock is already at the new time; ticking
    // the store there first would trim and remove what it holds of the old time as "silent".
    if (store.lastSeekTime !== lastSeekTime) return;
    store.tick(currentTime);
  });
  return () => {
    offBatches();
    offStatus();
  };
}
