/**
 * The follower against this machine's real /dev/kmsg (readable as root, or with CAP_SYSLOG when
 * kernel.dmesg_restrict is 1): non-blocking reads end with EAGAIN instead of waiting, sequence
 * numbers rise, and a follower started after the last one read gets nothing already read.
 */
import { accessSync, constants } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { KmsgFollower, nodeKmsgFs } from './KmsgFollower.js';

function readable(): boolean {
  try {
    accessSync('/dev/kmsg', constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!readable())('KmsgFollower on the real /dev/kmsg', () => {
  it('drains the ring buffer without blocking, in rising sequence order, and resumes after the last', () => {
    const seqs: number[] = [];
    const first = new KmsgFollower(nodeKmsgFs, '/dev/kmsg', (_line, r) => seqs.push(r.seq));
    first.open();
    const t = performance.now();
    const drained = first.drain();
    expect(performance.now() - t).toBeLessThan(5_000);
    first.close();
    expect(drained.records).toBeGreaterThan(0);
    expect(seqs.length).toBe(drained.records);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);

    const again: number[] = [];
    const second = new KmsgFollower(
      nodeKmsgFs,
      '/dev/kmsg',
      (_l, r) => again.push(r.seq),
      first.seq,
    );
    second.open();
    second.drain();
    second.close();
    // Only records written since (none, or a few from this machine's activity) come back.
    for (const s of again) expect(s).toBeGreaterThan(first.seq!);
  });
});
