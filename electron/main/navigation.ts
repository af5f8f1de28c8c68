/**
 * The window stays on the app: no new windows, no navigation or redirect to another origin, no
 * <webview>. A link to an http(s) page elsewhere goes to the system browser instead.
 */
import { isExternalHttpUrl } from './externalUrl.js';

interface NavigationDetails {
  url: string;
  preventDefault(): void;
}

interface FrameNavigationDetails extends NavigationDetails {
  isMainFrame: boolean;
}

/** The part of Electron's WebContents this module uses. */
export interface GuardedContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate', listener: (details: NavigationDetails) => void): unknown;
  on(event: 'will-frame-navigate', listener: (details: FrameNavigationDetails) => void): unknown;
  on(event: 'will-redirect', listener: (details: NavigationDetails) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
}

export type OpenExternal = (url: string) => Promise<void>;

export function isAppUrl(url: string, appOrigin: string): boolean {
  try {
    return new URL(url).origin === appOrigin;
  } catch {
    return false;
  }
}

export function guardNavigation(
  contents: GuardedContents,
  appOrigin: string,
  openExternal: OpenExternal,
  log: (line: string) => void = () => {},
): void {
  const leave = (url: string): void => {
    if (isExternalHttpUrl(url)) {
      openExternal(url).catch((error: Error) => log(`openExternal ${url}: ${error.message}`));
    } else {
      log(`blocked navigation to ${url.slice(0, 200)}`);
    }
  };
  contents.setWindowOpenHandler(({ url }) => {
    leave(url);
    return { action: 'deny' };
  });
  const stayOnApp = (details: NavigationDetails): void => {
    if (isAppUrl(details.url, appOrigin)) return;
    details.preventDefault();
    leave(details.url);
  };
  contents.on('will-navigate', stayOnApp);
  // Sub-frames only: the main frame's navigations are will-navigate's, which may open a link.
  contents.on('will-frame-navigate', (details) => {
    if (!details.isMainFrame && !isAppUrl(details.url, appOrigin)) details.preventDefault();
  });
  // A redirect is the server's doing, not a click: refuse it without opening anything.
  contents.on('will-redirect', (details) => {
    if (!isAppUrl(details.url, appOrigin)) details.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
