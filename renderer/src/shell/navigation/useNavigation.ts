/** Keeps one component's part of the place in the URL fragment (location.ts). */
import { useEffect } from 'react';

import type { NavPatch } from './fragment.js';
import { writeNavigation } from './location.js';

/**
 * Writes `patch` to the fragment whenever its values change (a key set to undefined is removed).
 * Each component owns its keys, so the tabs, the fleet toolbar and the sidebar need not know
 * about one another.
 */
export function useNavigationSync(patch: NavPatch): void {
  // Undefined values count: `{ node: undefined }` removes the drawer from the URL.
  const key = JSON.stringify(Object.entries(patch).map(([k, v]) => [k, v ?? null]));
  useEffect(() => {
    const entries = JSON.parse(key) as Array<[string, unknown]>;
    writeNavigation(Object.fromEntries(entries.map(([k, v]) => [k, v ?? undefined])) as NavPatch);
  }, [key]);
}
