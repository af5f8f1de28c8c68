// The core's code never touches files; its tests read their fixtures.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { NVSENTINEL_XID_ROWS, RESOLUTION_BUCKET, xidCodes, xidEntry } from './xidCatalog.js';
import { XID_MEANINGS } from './xidMeanings.js';

const csv = readFileSync(
  new URL('./fixtures/catalogs/nvsentinel_xiderrorsmapping.csv', import.meta.url),
  'utf8',
);
const rows = csv
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => l.split(','));

describe('the Xid table', () => {
  it('equals NVSentinel’s CSV row for row (162 rows, verbatim cells)', () => {
    expect(rows).toHaveLength(162);
    expect(NVSENTINEL_XID_ROWS.map((r) => r.map(String))).toEqual(rows);
  });

  it('maps every resolution word of the CSV to a bucket except 154’s sentence', () => {
    const words = new Set(rows.map((r) => r[2]!));
    const unmapped = [...words].filter((w) => RESOLUTION_BUCKET[w] === undefined);
    expect(unmapped).toEqual(['Follow guidance as it aapplies to another Xid']);
  });

  it('reads the catalog’s own rows: 79 reboot, 48 ECC workflow, 13 restart app, 43 ignore', () => {
    expect(xidEntry(79)).toMatchObject({
      mnemonic: 'ROBUST_CHANNEL_GPU_HAS_FALLEN_OFF_THE_BUS',
      resolution: 'RESTART_BM',
      cls: 'FATAL',
      bucket: 'reboot-node',
    });
    expect(xidEntry('48')).toMatchObject({
      resolution: 'WORKFLOW_XID_48',
      cls: 'FATAL',
      bucket: 'reset-device',
    });
    expect(xidEntry(13)).toMatchObject({
      resolution: 'RESTART_APP',
      cls: 'NONFATAL',
      bucket: 'restart-app',
    });
    expect(xidEntry(43)).toMatchObject({ resolution: 'IGNORE', cls: 'NONFATAL', bucket: 'watch' });
    expect(xidEntry(154)!.mnemonic).toBe('GPU_RECOVERY_ACTION_CHANGED');
    expect(xidEntry(162)!.mnemonic).toBe('Xid 162');
    expect(xidEntry(163)).toBeUndefined();
    expect(xidCodes()).toHaveLength(162);
  });

  it('has plain words for every common Xid of contracts §3.6, each in the catalog', () => {
    const common = [
      8, 13, 31, 32, 43, 45, 46, 48, 62, 63, 64, 74, 79, 92, 94, 95, 109, 119, 120, 136, 140, 144,
      145, 146, 147, 148, 149, 150, 154, 155, 156, 158,
    ];
    for (const code of common) {
      expect(XID_MEANINGS[code], `Xid ${code}`).toBeDefined();
      expect(xidEntry(code), `Xid ${code}`).toBeDefined();
    }
  });
});
