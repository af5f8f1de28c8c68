/** A panel under the view's one banner (serverFailure.ts) says "not loaded", not the error. */
import type { PanelView } from './preparePanel.js';
import type { ServerFailure } from './serverFailure.js';

/**
 * A panel whose failures the banner already says: "not loaded" (or, over a held chart, "not
 * refreshed"), not the same error again. Its own errors (bad_data for its query) stay its own.
 */
export function notLoaded(
  view: PanelView,
  outcomes: readonly { status: string; error?: Error }[],
  banner: ServerFailure | undefined,
): PanelView {
  if (!banner || view.state !== 'error') return view;
  const failed = outcomes.filter((o) => o.status === 'error');
  if (failed.length === 0 || !failed.every((o) => banner.covers(o.error))) return view;
  const held = view.line !== undefined || view.heatmap !== undefined;
  return {
    ...view,
    state: 'not-loaded',
    message: held ? 'Not refreshed: showing the last answer' : 'Not loaded',
  };
}
