/**
 * What the hostile e2e watches inside the page, installed before the console's own scripts run:
 * long tasks (PerformanceObserver 'longtask', reported, never asserted: timings belong in
 * BENCHMARKS.md), elements a payload could have injected (img, iframe, object, embed, a script
 * other than the console's bundle, or any element with an inline event handler), and every
 * dialog the page opens.
 */
import type { Page } from '@playwright/test';

import { PWNED_FLAG } from './names.js';

export interface LongTask {
  start: number;
  duration: number;
}

export interface PageWatchReading {
  /** Long tasks since the last reading (the page's list is emptied by each read). */
  longTasks: LongTask[];
  /** Elements added to the page that a payload could have injected: tag and outerHTML head. */
  injected: string[];
  /** Elements in the page now with an inline event handler attribute (React never sets one). */
  handlers: string[];
  /** PWNED_FLAG's value: undefined unless a payload ran. */
  ran: unknown;
  /** `({}).polluted`: set only if a `__proto__` key reached Object.prototype. */
  polluted: unknown;
}

declare global {
  interface Window {
    __ospreyLongTasks?: LongTask[];
    __ospreyInjected?: string[];
  }
}

/** Runs in the page before any of its scripts. */
function watch(): void {
  const tasks: LongTask[] = [];
  const injected: string[] = [];
  window.__ospreyLongTasks = tasks;
  window.__ospreyInjected = injected;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (tasks.length < 20_000) tasks.push({ start: e.startTime, duration: e.duration });
    }
  }).observe({ type: 'longtask', buffered: true });
  const suspicious = (el: Element): boolean =>
    /^(IMG|IFRAME|OBJECT|EMBED|FRAME)$/.test(el.tagName) ||
    // The console's own bundle is the one script with a src under assets/.
    (el.tagName === 'SCRIPT' && !/\/assets\/[\w-]+\.js$/.test(el.getAttribute('src') ?? '')) ||
    el.getAttributeNames().some((n) => n.toLowerCase().startsWith('on'));
  const seen = (node: Node): void => {
    if (!(node instanceof Element)) return;
    for (const el of [node, ...node.querySelectorAll('*')]) {
      if (suspicious(el) && injected.length < 100) injected.push(el.outerHTML.slice(0, 200));
    }
  };
  new MutationObserver((records) => {
    for (const r of records) r.addedNodes.forEach(seen);
  }).observe(document, { childList: true, subtree: true });
}

/** Installs the watch; dialogs are dismissed and collected into the returned list. */
export async function installPageWatch(page: Page): Promise<string[]> {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  await page.addInitScript(watch);
  return dialogs;
}

export async function readPageWatch(page: Page): Promise<PageWatchReading> {
  return page.evaluate(
    (flag) => ({
      longTasks: window.__ospreyLongTasks?.splice(0) ?? [],
      injected: [...(window.__ospreyInjected ?? [])],
      handlers: [...document.querySelectorAll('*')]
        .filter((el) => el.getAttributeNames().some((n) => n.toLowerCase().startsWith('on')))
        .map((el) => el.outerHTML.slice(0, 200)),
      ran: (window as unknown as Record<string, unknown>)[flag],
      polluted: ({} as Record<string, unknown>).polluted,
    }),
    PWNED_FLAG,
  );
}
