import { describe, expect, it } from 'vitest';

import { PanelVisibility } from './panelVisibility.js';

describe('PanelVisibility', () => {
  it('ranks visible panels first, each group in page order', () => {
    const v = new PanelVisibility(['ttft', 'inter_token', 'e2e', 'tokens']);
    const rank = () =>
      ['tokens', 'e2e', 'ttft', 'inter_token'].sort((a, b) => v.priority(a) - v.priority(b));
    expect(rank()).toEqual(['ttft', 'inter_token', 'e2e', 'tokens']);
    v.set('tokens', true);
    v.set('e2e', true);
    expect(rank()).toEqual(['e2e', 'tokens', 'ttft', 'inter_token']);
    v.set('e2e', false);
    expect(rank()).toEqual(['tokens', 'ttft', 'inter_token', 'e2e']);
  });
});
