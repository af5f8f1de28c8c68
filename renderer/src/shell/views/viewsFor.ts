/**
 * Which views a page offers, from its source's capabilities (SourceFactory.ts) and what its data
 * holds: the UI shows only what the active source can do. Pure; the registry (viewRegistry.tsx)
 * says how each view is drawn.
 */
import type { SourceCapabilities } from '../../sources/SourceFactory.js';
import type { NavView } from '../navigation/fragment.js';

export type ViewId = NavView;

/** Tab order, and each view's label. */
export const VIEW_LABELS: ReadonlyArray<[ViewId, string]> = [
  ['fleet', 'Fleet'],
  ['health', 'Health'],
  ['engines', 'Engines'],
  ['host', 'Host'],
  ['latency', 'Latency'],
  ['profiles', 'Profiles'],
];

/**
 * Fleet, Health, Engines, Host and Profiles on every source (profiles are the console's, opened
 * from files or captured, whatever the page); Latency only where the source has `history`.
 */
export function viewsFor(capabilities: SourceCapabilities): ViewId[] {
  return capabilities.history
    ? ['fleet', 'health', 'engines', 'host', 'latency', 'profiles']
    : ['fleet', 'health', 'engines', 'host', 'profiles'];
}

/**
 * The tabs drawn: the offered views, Host only once some node publishes host metrics — or when it
 * is the view asked for (a reload of a Host link must land there, not on Fleet, before the first
 * message arrives; the view then says it is waiting).
 */
export function visibleViews(
  offered: readonly ViewId[],
  hasHostMetrics: boolean,
  chosen: ViewId | undefined,
): ViewId[] {
  return offered.filter((v) => v !== 'host' || hasHostMetrics || chosen === 'host');
}

/** The view shown: the chosen one where offered, else the first (a link from another source). */
export function shownView(visible: readonly ViewId[], chosen: ViewId | undefined): ViewId {
  return chosen !== undefined && visible.includes(chosen) ? chosen : (visible[0] ?? 'fleet');
}
