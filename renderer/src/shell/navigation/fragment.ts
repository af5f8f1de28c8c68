/**
 * Where the console is, as the URL fragment says it: `#token=…&conn=…&view=…&node=…&device=…`.
 * Pure: parse and format only. The fragment never reaches a server (browsers do not send it), so
 * it can hold names; the token stays exactly as `osprey serve` printed it (webPlatform.ts reads
 * it unencoded), every other key goes through URLSearchParams.
 *
 * Keys (short, since people paste these links):
 * - `conn`   the sidebar entry: a cluster connection id; absent = "This machine"
 * - `view`   the view tab (shell/views/viewRegistry.tsx): fleet | health | engines | host |
 *            latency | profiles
 * - `node`, `device`  the device drawer on Fleet
 * - `host`   the node the Host view shows (its own key: the drawer's node stays where it was)
 * - `from`, `to`      a time range: epoch ms, or relative as Grafana writes it (`from=now-1h&to=now`)
 * - `color`  the Fleet metric cells are coloured by; `group`, `sort`, `vendor`, `model`,
 *            `health`, `q` (search): the Fleet toolbar
 * Unknown keys and values that are not what a key allows are ignored: a hostile link lands on
 * the default view, with nothing thrown.
 */

import { isRelativeSpan, type RelativeSpan } from '../../time/timeRange.js';

export const VIEWS = ['fleet', 'health', 'engines', 'host', 'latency', 'profiles'] as const;
export type NavView = (typeof VIEWS)[number];
const GROUPS = ['none', 'model', 'vendor', 'health'] as const;
const SORTS = ['node', 'model', 'vendor', 'health', 'value'] as const;
/** Device states (core severity.ts); `alarm`, the word before it, is still read from old links. */
const HEALTHS = ['ok', 'warning', 'error', 'critical', 'unknown', 'alarm'] as const;

export interface NavState {
  conn?: string;
  view?: NavView;
  node?: string;
  device?: string;
  host?: string;
  from?: number;
  to?: number;
  /** A relative range ("last 1 h", moving with now): written `from=now-1h&to=now`. */
  span?: RelativeSpan;
  color?: string;
  group?: (typeof GROUPS)[number];
  sort?: (typeof SORTS)[number];
  vendor?: string;
  model?: string;
  health?: (typeof HEALTHS)[number];
  q?: string;
}

/** A change to the place: a key set to undefined is removed. */
export type NavPatch = { [K in keyof NavState]?: NavState[K] | undefined };

/** Key order in a formatted fragment: the stable order keeps links comparable. */
const KEYS = [
  'conn',
  'view',
  'node',
  'device',
  'host',
  'from',
  'to',
  'color',
  'group',
  'sort',
  'vendor',
  'model',
  'health',
  'q',
] as const satisfies ReadonlyArray<keyof NavState>;

/**
 * Longest text kept for one value: connection ids, node names and searches are far shorter; a
 * longer one is a hostile or broken link, not a place.
 */
const MAX_TEXT = 256;
/** Identifiers (connection ids, metric names): letters, digits and `._:-` only. */
const ID = /^[A-Za-z0-9._:-]+$/;

function text(value: string | null): string | undefined {
  if (value === null || value === '' || value.length > MAX_TEXT) return undefined;
  // Control characters never belong in a name; a value holding them is dropped, not cleaned.
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  return /[\u0000-\u001f\u007f]/.test(value) ? undefined : value;
}

function id(value: string | null): string | undefined {
  const t = text(value);
  return t !== undefined && ID.test(t) ? t : undefined;
}

function oneOf<T extends string>(allowed: readonly T[], value: string | null): T | undefined {
  return allowed.find((a) => a === value);
}

/** Epoch ms, 1970 to 2200: anything else is not a time a range can start or end at. */
function time(value: string | null): number | undefined {
  if (value === null || !/^\d{1,13}$/.test(value)) return undefined;
  const n = Number(value);
  return n <= 7_258_118_400_000 ? n : undefined;
}

/** The token's raw `token=…` part, kept byte for byte (see webPlatform.ts tokenFromHash). */
function tokenPart(hash: string): string | undefined {
  return hash
    .replace(/^#/, '')
    .split('&')
    .find((part) => part.startsWith('token='));
}

/** The place a fragment (`location.hash`, with or without `#`) names; never throws. */
export function parseFragment(hash: string): NavState {
  const rest = hash
    .replace(/^#/, '')
    .split('&')
    .filter((part) => !part.startsWith('token='))
    .join('&');
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(rest);
  } catch {
    return {};
  }
  const state: NavState = {};
  const set = <K extends keyof NavState>(key: K, value: NavState[K] | undefined) => {
    if (value !== undefined) state[key] = value;
  };
  set('conn', id(params.get('conn')));
  set('view', oneOf(VIEWS, params.get('view')));
  set('node', text(params.get('node')));
  set('device', text(params.get('device')));
  set('host', text(params.get('host')));
  const from = time(params.get('from'));
  const to = time(params.get('to'));
  // Half a range, or one that ends before it starts, is no range.
  if (from !== undefined && to !== undefined && from < to) {
    state.from = from;
    state.to = to;
  }
  const relative = /^now-(\w{1,8})$/.exec(params.get('from') ?? '')?.[1];
  if (relative !== undefined && isRelativeSpan(relative) && params.get('to') === 'now') {
    state.span = relative;
  }
  // The drawer needs both: a device without its node names nothing.
  if (state.node === undefined || state.device === undefined) {
    delete state.node;
    delete state.device;
  }
  set('color', id(params.get('color')));
  set('group', oneOf(GROUPS, params.get('group')));
  set('sort', oneOf(SORTS, params.get('sort')));
  set('vendor', id(params.get('vendor')));
  set('model', text(params.get('model')));
  set('health', oneOf(HEALTHS, params.get('health')));
  set('q', text(params.get('q')));
  return state;
}

/**
 * The fragment for `state`, keeping the token of `hash` as it was. `withToken: false` leaves the
 * token out: a link for a colleague, who opens it with their own token.
 */
export function formatFragment(
  hash: string,
  state: NavState,
  { withToken = true }: { withToken?: boolean } = {},
): string {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value =
      state.span !== undefined && (key === 'from' || key === 'to')
        ? key === 'from'
          ? `now-${state.span}`
          : 'now'
        : state[key];
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const token = withToken ? tokenPart(hash) : undefined;
  const parts = [token, params.toString()].filter((p) => p !== undefined && p !== '');
  return parts.length === 0 ? '' : `#${parts.join('&')}`;
}

/** `state` with `patch` laid over it; a key set to undefined in the patch is removed. */
export function mergeNav(state: NavState, patch: NavPatch): NavState {
  const next: Record<string, unknown> = { ...state };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  return parseFragment(formatFragment('', next as NavState));
}
