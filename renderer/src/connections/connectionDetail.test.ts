import { describe, expect, it } from 'vitest';

import { connectionDetail } from './connectionDetail.js';

/** The sidebar cuts the line with an ellipsis: the issue saw "all clusters · 127.0.0…" (22). */
const cut = (text: string, n = 22) => (text.length > n ? `${text.slice(0, n)}…` : text);

describe('connectionDetail (the sidebar subtitle)', () => {
  it('names the server with its port first, then the cluster', () => {
    expect(connectionDetail({ natsUrl: 'wss://nats.example.com:443/ws', cluster: 'prod' })).toBe(
      'nats.example.com:443 · prod',
    );
    expect(connectionDetail({ natsUrl: 'ws://127.0.0.1:8080' })).toBe(
      '127.0.0.1:8080 · all clusters',
    );
    expect(
      connectionDetail({ prometheus: { url: 'https://prom.example.com/p', auth: 'none' } }),
    ).toBe('prom.example.com · all clusters (Prometheus)');
  });

  it('keeps two connections on one machine apart even where the line is cut', () => {
    const a = connectionDetail({ natsUrl: 'ws://127.0.0.1:8080' });
    const b = connectionDetail({ natsUrl: 'ws://127.0.0.1:9222' });
    expect(cut(a)).not.toBe(cut(b));
  });
});
