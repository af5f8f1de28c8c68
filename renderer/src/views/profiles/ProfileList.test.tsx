import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

import type { Profile, ProfileSet } from '../../../../collector/core/profile/model.js';
import { profileOf } from '../../../../collector/core/profile/testProfile.js';
import { ProfileLibrary } from '../../profiles/ProfileLibrary.js';
import { ProfileList } from './ProfileList.js';
import { profileChoices, whyNotComparable } from './prepareDiff.js';

const setOf = (name: string, profiles: Profile[]): ProfileSet => ({
  format: 'folded',
  name,
  profiles,
  meta: {},
  warnings: [],
});

describe('ProfileList', () => {
  it('shows a running capture with its progress by the store clock, and Cancel', () => {
    const library = new ProfileLibrary();
    library.begin({
      label: 'py-spy · pid 4121 · node-017',
      startedAtMs: 10_000,
      durationMs: 10_000,
      cancel: () => undefined,
    });
    const { entries, pending } = library.getState();
    const html = renderToStaticMarkup(
      <ProfileList
        entries={entries}
        pending={pending}
        selected={undefined}
        now={14_000}
        onSelect={() => undefined}
        onRemove={() => undefined}
      />,
    );
    expect(html).toContain('py-spy · pid 4121 · node-017');
    expect(html).toContain('aria-valuenow="40"');
    expect(html).toContain('4 of 10 s');
    expect(html).toContain('>Cancel<');
  });

  it('keeps a failed capture with its message and a Dismiss, and lists profiles newest first', () => {
    const library = new ProfileLibrary();
    const id = library.begin({
      label: 'perf · pid 7 · node-3',
      startedAtMs: 0,
      durationMs: 10_000,
      cancel: () => undefined,
    });
    library.settle(id, {
      error: 'perf_event_paranoid is 4: run sysctl kernel.perf_event_paranoid=1',
    });
    library.add(setOf('old.txt', [profileOf(['a 3'])]), { kind: 'file' }, 1_000);
    library.add(
      setOf('threads.json', [profileOf(['a 1'], 'MainThread'), profileOf(['b 2'], 'worker')]),
      { kind: 'capture', node: 'node-017', pid: 4121, tool: 'py-spy', connection: 'local' },
      61_000,
    );
    const { entries, pending } = library.getState();
    const html = renderToStaticMarkup(
      <ProfileList
        entries={entries}
        pending={pending}
        selected={entries[0]!.id}
        now={121_000}
        onSelect={() => undefined}
        onRemove={() => undefined}
      />,
    );
    expect(html).toContain('perf_event_paranoid is 4: run sysctl kernel.perf_event_paranoid=1');
    expect(html).toContain('>Dismiss<');
    expect(html.indexOf('threads.json')).toBeLessThan(html.indexOf('old.txt'));
    expect(html).toContain('folded · 2 profiles');
    expect(html).toContain('py-spy · pid 4121 · node-017 · 60 s ago');
    expect(html).toContain('folded · 3 samples');
    expect(html).toContain('file · 2 min ago');
  });
});

describe('diff choices', () => {
  it('offers every profile of every set, and says why two cannot be compared', () => {
    const library = new ProfileLibrary();
    const cpu = profileOf(['a 1'], 'cpu');
    const wall = { ...profileOf(['a 1'], 'wall'), measure: 'wall' as const };
    const ns = { ...profileOf(['a 1'], 'ns'), unit: 'nanoseconds' as const };
    library.add(setOf('one.txt', [cpu]), { kind: 'file' }, 0);
    library.add(setOf('two', [wall, ns]), { kind: 'file' }, 0);
    const choices = profileChoices(library.getState().entries);
    expect(choices.map((c) => c.label)).toEqual(['one.txt', 'two · wall', 'two · ns']);
    expect(whyNotComparable(cpu, ns)).toBe(
      'Before is in samples and after in nanoseconds: a diff compares shares of one unit.',
    );
    expect(whyNotComparable(cpu, wall)).toBe(
      'Before measures CPU time and after wall time: a diff compares one measure.',
    );
    expect(whyNotComparable(cpu, cpu)).toMatch(/same profile/);
    expect(whyNotComparable(cpu, profileOf(['b 2']))).toBeUndefined();
  });
});
