import { describe, expect, it } from 'vitest';

import { guardNavigation, isAppUrl, type GuardedContents } from './navigation.js';

const APP = 'http://127.0.0.1:41234';

type Listener = (details: { url: string; isMainFrame: boolean; preventDefault(): void }) => void;

function guarded() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents = {
    setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
    on: (event: string, listener: Listener) => listeners.set(event, listener),
  } as unknown as GuardedContents;
  const opened: string[] = [];
  const logs: string[] = [];
  guardNavigation(
    contents,
    APP,
    async (url) => void opened.push(url),
    (l) => logs.push(l),
  );

  /** Emits a navigation event; true when the guard prevented it. */
  const emit = (event: string, url: string, isMainFrame = true): boolean => {
    let prevented = false;
    listeners.get(event)!({ url, isMainFrame, preventDefault: () => (prevented = true) });
    return prevented;
  };
  return { emit, open: (url: string) => openHandler!({ url }), opened, logs };
}

describe('isAppUrl', () => {
  it('is true for the app origin only', () => {
    expect(isAppUrl(`${APP}/`, APP)).toBe(true);
    expect(isAppUrl(`${APP}/assets/x.js?v=1#t`, APP)).toBe(true);
    expect(isAppUrl('http://127.0.0.1:41235/', APP)).toBe(false);
    expect(isAppUrl('http://localhost:41234/', APP)).toBe(false);
    expect(isAppUrl('https://127.0.0.1:41234/', APP)).toBe(false);
    expect(isAppUrl('not a url', APP)).toBe(false);
  });
});

describe('guardNavigation', () => {
  it('denies every new window, sending http(s) links to the browser', async () => {
    const g = guarded();
    expect(g.open('https://docs.vllm.ai/')).toEqual({ action: 'deny' });
    expect(g.open(`${APP}/other`)).toEqual({ action: 'deny' });
    expect(g.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(g.opened).toEqual(['https://docs.vllm.ai/', `${APP}/other`]);
    expect(g.logs).toEqual(['blocked navigation to file:///etc/passwd']);
  });

  it('lets the window navigate within the app', () => {
    const g = guarded();
    expect(g.emit('will-navigate', `${APP}/`)).toBe(false);
    expect(g.opened).toEqual([]);
  });

  it('keeps the window on the app, opening external http(s) pages in the browser', () => {
    const g = guarded();
    expect(g.emit('will-navigate', 'https://github.com/vllm-project/vllm')).toBe(true);
    expect(g.emit('will-navigate', 'javascript:alert(1)')).toBe(true);
    expect(g.emit('will-navigate', 'file:///home/me/.ssh/id_ed25519')).toBe(true);
    expect(g.opened).toEqual(['https://github.com/vllm-project/vllm']);
  });

  it('blocks sub-frame navigation away from the app and leaves the main frame to will-navigate', () => {
    const g = guarded();
    expect(g.emit('will-frame-navigate', 'https://evil.test/', false)).toBe(true);
    expect(g.emit('will-frame-navigate', `${APP}/frame`, false)).toBe(false);
    expect(g.emit('will-frame-navigate', 'https://github.com/', true)).toBe(false);
    expect(g.opened).toEqual([]);
  });

  it('refuses redirects away from the app without opening them', () => {
    const g = guarded();
    expect(g.emit('will-redirect', 'https://evil.test/')).toBe(true);
    expect(g.emit('will-redirect', `${APP}/index.html`)).toBe(false);
    expect(g.opened).toEqual([]);
  });

  it('refuses to attach a <webview>', () => {
    const g = guarded();
    expect(g.emit('will-attach-webview', '')).toBe(true);
  });

  it('logs a link the system refuses to open instead of throwing', async () => {
    const logs: string[] = [];
    let handler: ((details: { url: string }) => { action: 'deny' }) | undefined;
    const contents = {
      setWindowOpenHandler: (h: typeof handler) => (handler = h),
      on: () => {},
    } as unknown as GuardedContents;
    guardNavigation(
      contents,
      APP,
      () => Promise.reject(new Error('no browser')),
      (l) => logs.push(l),
    );
    handler!({ url: 'https://example.org/' });
    await new Promise((r) => setImmediate(r));
    expect(logs).toEqual(['openExternal https://example.org/: no browser']);
  });
});
