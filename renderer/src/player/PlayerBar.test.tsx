import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { events } from '../testing/messages.js';
import { PlayerBar } from './PlayerBar.js';
import { flush, makeHarness } from './testing/harness.js';
import { makeRecording } from './testing/recording.js';

describe('PlayerBar', () => {
  it('renders the controls, the recording time and the event marks, with event text as text', async () => {
    const start = Date.UTC(2026, 11, 2, 14, 0, 0);
    const recording = makeRecording({ nodes: 2, start, durationMs: 10_000, intervalMs: 1000 });
    recording.push({
      receiveTime: start + 5000,
      message: events(start + 5000, [
        {
          ts: start + 5000,
          kind: 'xid',
          severity: 'critical',
          message: '<img src=x onerror=alert(1)>',
        },
      ]),
    });
    recording.sort((a, b) => a.receiveTime - b.receiveTime);
    const h = makeHarness(recording, {
      source: () => ({ metadata: { cluster: 'gpu-a' } }),
    });
    await h.player.initialize();
    await flush();
    const html = renderToStaticMarkup(<PlayerBar player={h.player} keyboard={false} />);
    expect(html).toContain('aria-label="Play"');
    expect(html).toContain('aria-label="Recording time"');
    expect(html).toMatch(/title="Recording of gpu-a, \d+ Dec \d\d:\d\d:00 – \d\d:\d\d:10"/);
    expect(html).toContain('class="player-mark severity-critical"');
    expect(html).toContain('left:50%');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toMatch(/<option value="16">16×<\/option>/);
  });
});
