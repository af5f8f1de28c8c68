/**
 * The page's own fragment, read and written. Writes use history.replaceState: no history entry
 * per keystroke, and no `hashchange` event (main.tsx reloads on that, for a pasted new token).
 */
import {
  formatFragment,
  mergeNav,
  parseFragment,
  type NavPatch,
  type NavState,
} from './fragment.js';

function hash(): string {
  return typeof window === 'undefined' ? '' : window.location.hash;
}

/** Where the current URL says the console is. */
export function readNavigation(): NavState {
  return parseFragment(hash());
}

/** Lays `patch` over the URL's place; the token part stays as it was. */
export function writeNavigation(patch: NavPatch): void {
  if (typeof window === 'undefined') return;
  const current = hash();
  const next = formatFragment(current, mergeNav(parseFragment(current), patch));
  if (next === current || (next === '' && current === '')) return;
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', `${pathname}${search}${next || '#'}`);
}

/** This page's address without its token: a link for a colleague, who has their own token. */
export function shareableLink(): string {
  if (typeof window === 'undefined') return '';
  const { origin, pathname, search } = window.location;
  const fragment = formatFragment('', readNavigation(), { withToken: false });
  return `${origin}${pathname}${search}${fragment}`;
}
