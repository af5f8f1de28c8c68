import { describe, expect, it } from 'vitest';

import { decodeMessage } from '../../../collector/core/protocol/decode.js';
import { events, H100, inventory, metrics } from './messages.js';

describe('test message builders', () => {
  it('build messages the real decoder accepts', () => {
    const all = [
      inventory([H100]),
      metrics(2000, [
        { m: 'device.utilization', v: 100, d: H100.id },
        { m: 'device.fan', v: null, d: H100.id, s: 'unsupported', raw: '[N/A]' },
      ]),
      events(3000, [{ ts: 3000, kind: 'probe', severity: 'info', message: 'nvidia-smi: ok' }]),
    ];
    for (const m of all) expect(decodeMessage(JSON.stringify(m))).toEqual({ ok: true, message: m });
  });
});
