import { describe, expect, it } from 'vitest';

import { capabilities, factoryForFile, NO_CAPABILITIES } from './SourceFactory.js';
import { defaultSourceFactories } from './defaultSourceFactories.js';

describe('capabilities', () => {
  it('sets exactly the named ones', () => {
    expect(capabilities('seek', 'record')).toEqual({
      ...NO_CAPABILITIES,
      seek: true,
      record: true,
    });
  });
});

describe('factoryForFile', () => {
  const files = defaultSourceFactories().files;
  it('picks the snapshot factory for .mcap whatever the case', () => {
    expect(factoryForFile(files, 'a.MCAP')?.id).toBe('snapshot');
  });
  it('falls back to the first factory, which then says why the file does not open', () => {
    expect(factoryForFile(files, 'notes.txt')?.id).toBe('snapshot');
    expect(factoryForFile([], 'a.mcap')).toBeUndefined();
  });
});

describe('defaultSourceFactories', () => {
  it('declares seek and speed only for recordings, record and history for live ones', () => {
    const f = defaultSourceFactories();
    expect(f.local).toMatchObject({ kind: 'live', capabilities: { seek: false, record: true } });
    expect(f.nats.capabilities).toMatchObject({ seek: false, history: true, record: true });
    expect(f.files[0]).toMatchObject({
      kind: 'recorded',
      capabilities: { seek: true, playbackSpeed: true, history: false },
    });
  });
});
