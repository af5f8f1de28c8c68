// The page side of `npm run bench:latency`: opening the Latency view, changing its range, and
// waiting for `performance.mark('osprey:latency-settled')` (renderer/src/views/latency/
// useSettledMark.ts), all in the page's own clock (performance.now()).
// Page callbacks run in the browser, where `window`, `document` and friends are the page's.
/* global window, document, requestAnimationFrame */

import { writeFileSync } from 'node:fs';

import { printSelfTime } from './cpuProfile.mjs';

export const SETTLED_MARK = 'osprey:latency-settled';

/** From the console's start page to the Latency view of the connection named `name`. */
export async function openLatencyView(page, name) {
  await page
    .getByRole('navigation', { name: 'Connections' })
    .getByText(name, { exact: true })
    .click();
  await page.getByRole('tab', { name: 'Latency' }).click();
  await page.getByRole('toolbar', { name: 'Latency selection' }).waitFor({ timeout: 60_000 });
}

/**
 * Picks a relative range in the view's range select, in one page task, and returns the page time
 * just before the change event: B starts there.
 */
export async function selectRange(page, span) {
  return page.evaluate((span) => {
    const select = document.querySelector('select[aria-label="Range"]');
    if (!select) throw new Error('no range select in the Latency view');
    const t0 = performance.now();
    select.value = span;
    if (select.value !== span) throw new Error(`the range select has no option "${span}"`);
    select.dispatchEvent(new Event('change', { bubbles: true }));
    return t0;
  }, span);
}

/**
 * Waits for the first settled mark after page time `after`; returns its time and the time the
 * frame after it was painted (a rAF, then a task: the task runs once that frame is on screen).
 */
export async function waitForSettled(page, after, timeoutMs = 180_000) {
  const handle = await page.waitForFunction(
    ([name, after]) => {
      const mark = performance.getEntriesByName(name).find((m) => m.startTime > after);
      if (!mark) return false;
      window.__benchPainted ??= new Map();
      if (!window.__benchPainted.has(mark.startTime)) {
        window.__benchPainted.set(mark.startTime, undefined);
        requestAnimationFrame(() => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => window.__benchPainted.set(mark.startTime, performance.now());
          ch.port2.postMessage(0);
        });
      }
      const paintedAt = window.__benchPainted.get(mark.startTime);
      return paintedAt === undefined
        ? false
        : { markAt: mark.startTime, paintedAt, timeOrigin: performance.timeOrigin };
    },
    [SETTLED_MARK, after],
    { timeout: timeoutMs, polling: 'raf' },
  );
  return handle.jsonValue();
}

/**
 * The functions with the most self time in a CPU profile, as a share of all samples, and the
 * profile itself in `file` (open it in Chrome DevTools' Performance panel).
 */
export function printProfile(profile, file) {
  writeFileSync(file, JSON.stringify(profile));
  printSelfTime(`self time (page, one 24 h load; profile in ${file})`, profile, 16);
}
