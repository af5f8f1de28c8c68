import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

import { formatDateTime } from '../../lib/format.js';
import { HealthCount } from './HealthCount.js';
import type { Notice } from './newNotices.js';
import { Toasts } from './Toasts.js';

const notice: Notice = {
  id: 'd1',
  incident: '["node-017","i"]',
  severity: 'critical',
  title: '<script>alert(1)</script> GPU 3 fell off the PCIe bus',
  device: 'GPU 3',
  node: 'node\u202E-017',
  ts: 1_780_000_000_000,
};

describe('Toasts', () => {
  it('shows severity, time, what happened and where as text, with a link and a dismiss button', () => {
    const html = renderToStaticMarkup(
      <Toasts toasts={[notice]} onDismiss={() => {}} onOpen={() => {}} />,
    );
    expect(html).toContain('>Critical<');
    expect(html).toContain(`>${formatDateTime(notice.ts).slice(11)}<`);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; GPU 3 fell off the PCIe bus');
    // An invisible right-to-left override in a node name is shown, not obeyed.
    expect(html).toContain('GPU 3 on node\\u202E-017');
    expect(html).toContain('>Show in Health</button>');
    expect(html).toContain('aria-label="Dismiss notice"');
  });
});

describe('HealthCount', () => {
  it('is absent at zero and says how many incidents are open otherwise', () => {
    expect(renderToStaticMarkup(<HealthCount count={0} onOpen={() => {}} />)).toBe('');
    const html = renderToStaticMarkup(<HealthCount count={3} onOpen={() => {}} />);
    expect(html).toContain('data-count="3"');
    expect(html).toContain('aria-label="3 incidents need attention"');
    expect(html).toContain('incidents open');
  });
});
