import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

import { IncidentCard } from './IncidentCard.js';
import type { IncidentView } from './prepareHealth.js';

const incident: IncidentView = {
  key: '["node-017","inc"]',
  ids: ['d1'],
  state: 'open',
  stateWord: 'Open',
  severity: 'critical',
  severityWord: 'Critical',
  title: '<img src=x onerror=alert(1)>',
  device: 'GPU 3',
  deviceId: 'GPU-3',
  node: 'node-017',
  cluster: 'c',
  since: '2026-12-03 14:02:11',
  sinceIso: '2026-12-03T14:02:11.000Z',
  age: '3 min ago',
  latest: '',
  cleared: '',
  count: 1,
  countText: 'seen once',
  diagnoses: [
    {
      id: 'd1',
      severity: 'critical',
      severityWord: 'Critical',
      title: 't',
      code: 'Xid 79',
      countText: 'seen once',
      cause: '<b>cause</b>',
      impact: 'impact',
      evidence: [{ time: '2026-12-03 14:02:11', iso: '', text: 'NVRM: Xid 79', source: 'kmsg' }],
      advice: {
        bucket: 'Reboot the node',
        summary: 's',
        steps: [[{ text: 'sudo reboot', code: true }]],
      },
      ref: { text: 'NVSentinel Xid catalog · 79', url: 'https://example.com/xid' },
    },
  ],
  impact: { sentence: 'GPU 3 fell off', engines: [] },
};

describe('IncidentCard', () => {
  it('draws text from the wire as text, never as HTML', () => {
    const html = renderToStaticMarkup(
      <IncidentCard incident={incident} focused={false} onMark={() => {}} />,
    );
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;b&gt;cause&lt;/b&gt;');
  });

  it('opens the catalog link outside the app, and offers Acknowledge and Resolve on an open incident', () => {
    const html = renderToStaticMarkup(
      <IncidentCard incident={incident} focused={false} onMark={() => {}} />,
    );
    expect(html).toContain(
      'href="https://example.com/xid" target="_blank" rel="noopener noreferrer"',
    );
    expect(html).toContain('>Acknowledge</button>');
    expect(html).toContain('>Resolve</button>');
    expect(html).not.toContain('>Reopen</button>');
    const resolved = renderToStaticMarkup(
      <IncidentCard
        incident={{ ...incident, state: 'resolved', stateWord: 'Resolved' }}
        focused={false}
        onMark={() => {}}
      />,
    );
    expect(resolved).toContain('>Reopen</button>');
    expect(resolved).not.toContain('>Acknowledge</button>');
  });
});
