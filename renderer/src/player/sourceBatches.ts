/**
 * A player batch as live-source batches, one per receipt time, for a store that stamps every
 * message of a batch with the batch's `receivedAt`. That is close enough for playback (a tick
 * spans at most 50 ms × 16 = 0.8 s of recording) but not for a seek's backfill, whose messages
 * may be minutes old: a node silent since then must look stale, not fresh.
 */
import type { WireMessage } from '../../../collector/core/protocol/spec.js';
import type { SourceBatch } from '../sources/Source.js';
import type { PlayerBatch } from './playerTypes.js';

export function splitByReceiveTime(batch: PlayerBatch): SourceBatch[] {
  const out: SourceBatch[] = [];
  let messages: WireMessage[] = [];
  let at: number | undefined;
  batch.messages.forEach((m, i) => {
    const t = batch.receiveTimes[i] ?? batch.receivedAt;
    if (at !== undefined && t !== at) {
      out.push({ messages, receivedAt: at });
      messages = [];
    }
    at = t;
    messages.push(m);
  });
  if (at !== undefined) out.push({ messages, receivedAt: at });
  return out;
}
