/**
 * What the operator said about each diagnosis — acknowledged, resolved — kept per connection in
 * localStorage (key `osprey.health.v1.<connection id>`, a map of diagnosis id → mark), so a reload
 * or a restart of the console keeps it. The header's count and the Health view read the same
 * instance (healthMarksFor), so acknowledging in one updates the other at once.
 *
 * Only ids and times are stored (nothing secret, nothing from the wire but the diagnosis id).
 */

export type MarkState = 'acknowledged' | 'resolved';

export interface HealthMark {
  state: MarkState;
  /** When it was set, by the store's clock (ms): a diagnosis seen again after it reopens. */
  at: number;
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

export const MARKS_KEY_PREFIX = 'osprey.health.v1.';

/**
 * Marks kept per connection: a diagnosis id is stable for one device + kind + code + incident,
 * and ids from weeks ago name nothing on screen. 2,000 entries × ~120 bytes is ~240 KB, well
 * inside localStorage's 5 MB; the oldest marks go first.
 */
export const MAX_MARKS = 2000;

/** Longest diagnosis id kept (the wire allows 256). */
const MAX_ID = 256;

export class HealthMarks {
  private marks = new Map<string, HealthMark>();
  private readonly listeners = new Set<() => void>();
  private version = 0;

  constructor(
    readonly connectionId: string,
    private readonly storage: Storage | undefined,
  ) {
    this.marks = readMarks(storage, MARKS_KEY_PREFIX + connectionId);
  }

  get(id: string): HealthMark | undefined {
    return this.marks.get(id);
  }

  /** Changes on every mark, for React's useSyncExternalStore. */
  get snapshot(): number {
    return this.version;
  }

  /** Sets `state` on every id (an incident's diagnoses) at store time `at`. */
  mark(ids: readonly string[], state: MarkState, at: number): void {
    for (const id of ids) if (id.length <= MAX_ID) this.marks.set(id, { state, at });
    this.changed();
  }

  /** Removes the marks: the incident is open again. */
  clear(ids: readonly string[]): void {
    for (const id of ids) this.marks.delete(id);
    this.changed();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    if (this.marks.size > MAX_MARKS) {
      const newest = [...this.marks].sort((a, b) => b[1].at - a[1].at).slice(0, MAX_MARKS);
      this.marks = new Map(newest);
    }
    this.version++;
    try {
      this.storage?.setItem(
        MARKS_KEY_PREFIX + this.connectionId,
        JSON.stringify(Object.fromEntries(this.marks)),
      );
    } catch {
      // Storage full or disabled (private mode): the marks still hold for this session.
    }
    for (const listener of this.listeners) listener();
  }
}

/** The stored map; anything unreadable or malformed is left out, never thrown. */
function readMarks(storage: Storage | undefined, key: string): Map<string, HealthMark> {
  const out = new Map<string, HealthMark>();
  let raw: unknown;
  try {
    const text = storage?.getItem(key);
    raw = text ? JSON.parse(text) : undefined;
  } catch {
    return out;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
    if (id.length > MAX_ID || typeof value !== 'object' || value === null) continue;
    const { state, at } = value as { state?: unknown; at?: unknown };
    if ((state === 'acknowledged' || state === 'resolved') && typeof at === 'number') {
      if (Number.isFinite(at)) out.set(id, { state, at });
    }
  }
  return out;
}

const shared = new Map<string, HealthMarks>();

/** The one HealthMarks of a connection in this window (localStorage where there is one). */
export function healthMarksFor(connectionId: string): HealthMarks {
  let marks = shared.get(connectionId);
  if (marks === undefined) {
    const storage = typeof localStorage === 'undefined' ? undefined : localStorage;
    marks = new HealthMarks(connectionId, storage);
    shared.set(connectionId, marks);
  }
  return marks;
}
