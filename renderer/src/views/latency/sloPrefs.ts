/**
 * SLO lines for TTFT, inter-token and e2e latency, in ms, remembered in localStorage. Only these
 * numbers are stored (non-secret display preferences); anything unreadable falls back to defaults.
 */

export const SLO_KEYS = ['ttft', 'inter_token', 'e2e'] as const;
export type SloKey = (typeof SLO_KEYS)[number];

/** ms; null: no line. Defaults are common chat targets (TTFT 2 s is the usual alert bound). */
export type SloPrefs = Record<SloKey, number | null>;

export const DEFAULT_SLOS: SloPrefs = { ttft: 2000, inter_token: 100, e2e: 30_000 };

export const SLO_STORAGE_KEY = 'osprey.latency.slo.v1';

/** 1 h in ms: no request-latency SLO is longer, and a typo of extra zeros is caught. */
export const MAX_SLO_MS = 3_600_000;

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

export function loadSlos(storage: Storage | undefined): SloPrefs {
  const out = { ...DEFAULT_SLOS };
  let raw: unknown;
  try {
    const text = storage?.getItem(SLO_STORAGE_KEY);
    raw = text ? JSON.parse(text) : undefined;
  } catch {
    return out;
  }
  if (typeof raw !== 'object' || raw === null) return out;
  for (const k of SLO_KEYS) {
    const v = (raw as Record<string, unknown>)[k];
    if (v === null) out[k] = null;
    else if (typeof v === 'number' && v > 0 && v <= MAX_SLO_MS) out[k] = v;
  }
  return out;
}

export function saveSlos(storage: Storage | undefined, prefs: SloPrefs): void {
  try {
    storage?.setItem(SLO_STORAGE_KEY, JSON.stringify(prefs));
  } catch {
    // Storage full or disabled (private mode): the lines still apply for this session.
  }
}

/** A typed value → ms, or an error naming the field; empty means "no line". */
export function parseSloInput(
  label: string,
  text: string,
): { value: number | null } | { error: string } {
  const t = text.trim();
  if (t === '') return { value: null };
  const v = Number(t);
  if (!Number.isFinite(v) || v <= 0) return { error: `${label}: enter a positive number of ms` };
  if (v > MAX_SLO_MS) return { error: `${label}: at most ${MAX_SLO_MS.toLocaleString('en')} ms` };
  return { value: v };
}
