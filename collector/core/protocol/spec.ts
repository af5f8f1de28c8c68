/**
 * Osprey wire protocol, version 1 — the one vocabulary carried by the collector's WebSocket stream,
 * NATS subjects and snapshot files. This file is the specification: every message type is a JSON
 * Schema (TypeBox builds plain JSON Schema objects) and its TypeScript type is derived from it, so
 * the two cannot drift. `osprey schema` prints these schemas.
 *
 * Rules every message follows:
 * - `v` is the protocol version. A reader rejects versions it does not know, with a message that
 *   says which version it got and which it speaks (decode.ts).
 * - `ts` is milliseconds since the Unix epoch at the sender when the batch was taken.
 * - `seq` counts messages per sender connection, so a reader can see gaps.
 * - A metric sample with no value has `v: null` and a status `s` saying why; absent is never 0.
 * - Metrics are batched: one message per node per tick, never one message per sample.
 * - Limits (string lengths, array sizes) bound what a hostile sender can make a reader hold.
 * - Dense metrics travel as grids (rows × columns of numbers) and the rest as samples; a grid cell
 *   is the sample of its column's metric for its row's device and labels. A fleet node's batch is
 *   ~4 KB as grids where one sample object per value took ~15 KB: at 512 nodes × 2 Hz that is the
 *   difference between a browser that keeps up and one that falls behind (BENCHMARKS.md).
 *
 * Evolution within v1 (issue 11), so a later issue can add a field without breaking the consoles
 * already running:
 * - A reader accepts and ignores unknown fields on every message and every nested object (host,
 *   device, probe, sample, grid row/column, event). Every object schema says so with
 *   `additionalProperties: true`; decode.ts drops those fields from the decoded value, so nothing
 *   this version does not describe reaches a store. A field added later is always optional: a
 *   reader of this version never sees it, so it can never be required.
 * - A known field keeps its strict check: wrong type, NaN/Infinity, bounds and array sizes still
 *   refuse the message with the path of the field (decode.ts, arrayBounds.ts). The whole message
 *   is still bounded by MAX_MESSAGE_BYTES before it is parsed, however large an unknown field is.
 * - An unknown message `type` is not an error of the sender: the reader counts it per type
 *   ("unknown message type "alerts"", DecodeProblem kind `unknown-type`) and goes on.
 * - Anything else (renaming or removing a field, changing a type or meaning, a new required field)
 *   is a new version `v`, which readers of this one refuse by name.
 *
 * Added in v1: inventory, metrics, events; metrics `grids` (2026-11-29); the evolution rule above
 * (2026-12-02).
 */
import Type, { type Static } from 'typebox';

import { MAX_DEVICES, PROTOCOL_VERSION } from './limits.js';

export { MAX_DEVICES, PROTOCOL_VERSION } from './limits.js';

const Name = Type.String({ minLength: 1, maxLength: 256 });
const Text = Type.String({ maxLength: 4096 });
const Millis = Type.Number({ minimum: 0 });

const Envelope = {
  v: Type.Literal(PROTOCOL_VERSION),
  cluster: Name,
  node: Name,
  ts: Millis,
  seq: Type.Integer({ minimum: 0 }),
};

export const Vendor = Type.Union([Type.Literal('nvidia'), Type.Literal('ascend')]);

export const HostInfo = Type.Object(
  {
    hostname: Name,
    os: Name,
    arch: Name,
    kernel: Type.Optional(Name),
    cpuModel: Type.Optional(Name),
    cpuCores: Type.Integer({ minimum: 0 }),
    memoryTotalBytes: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: true },
);

export const DeviceInfo = Type.Object(
  {
    /** Stable key of the device within its node: the UUID when known, else `vendor:index`. */
    id: Name,
    vendor: Vendor,
    /** The tool's own index (nvidia-smi `index`, npu-smi NPU id). */
    index: Type.Integer({ minimum: 0 }),
    /** Ascend: chip number within the NPU card. */
    chip: Type.Optional(Type.Integer({ minimum: 0 })),
    uuid: Type.Optional(Name),
    name: Name,
    driver: Type.Optional(Name),
    firmware: Type.Optional(Name),
    /** As the tool prints it, e.g. nvidia-smi `00000000:3B:00.0`, npu-smi `0000:C1:00.0`. */
    pciBusId: Type.Optional(Name),
    memoryTotalBytes: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: true },
);

export const ProbeState = Type.Union([
  Type.Literal('starting'),
  Type.Literal('ok'),
  /** The tool or interface is not on this machine: a normal state, not an error. */
  Type.Literal('absent'),
  /** Running, but some of its output could not be used (see message). */
  Type.Literal('degraded'),
  Type.Literal('error'),
]);

export const ProbeStatus = Type.Object(
  {
    probe: Name,
    state: ProbeState,
    message: Type.Optional(Text),
    /** When the probe entered this state (ms). */
    since: Millis,
  },
  { additionalProperties: true },
);

/** Why a sample has no value. */
export const SampleStatus = Type.Union([
  /** The device or driver does not support it (`[N/A]`, `N/A`, `[Not Supported]`, `NA`). */
  Type.Literal('unsupported'),
  /** `[Insufficient Permissions]`. */
  Type.Literal('denied'),
  /** `[Unknown Error]` or output that did not parse. */
  Type.Literal('error'),
  /** The source did not report it this time. */
  Type.Literal('missing'),
  /** `[Requested functionality has been deprecated]`. */
  Type.Literal('deprecated'),
]);

const Labels = Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 256 }));

export const Sample = Type.Object(
  {
    /** Canonical metric name (catalog.ts). */
    m: Name,
    v: Type.Union([Type.Number(), Type.Null()]),
    /** Device id (DeviceInfo.id) for device metrics. */
    d: Type.Optional(Name),
    /** Extra labels: `cpu`, `interface`, `disk`, `pid`, … */
    l: Type.Optional(Labels),
    s: Type.Optional(SampleStatus),
    /** The source's own text when it gave no number, e.g. "[N/A]". */
    raw: Type.Optional(Type.String({ maxLength: 256 })),
    /** Sample time when it differs from the batch's ts (ms). */
    t: Type.Optional(Millis),
  },
  { additionalProperties: true },
);

/** What a grid row is about: a device (`d`) or the host, and labels (an engine). */
export const GridRow = Type.Object(
  { d: Type.Optional(Name), l: Type.Optional(Labels) },
  { additionalProperties: true },
);

/** A grid column: a metric, and labels added to the row's (a column's label wins on a clash). */
export const GridColumn = Type.Object(
  { m: Name, l: Type.Optional(Labels) },
  { additionalProperties: true },
);

/**
 * Values of the same metrics for several rows, row-major: `v[r * cols.length + c]` is the value of
 * column c for row r, so `v` holds exactly rows × columns values (decode.ts checks what a schema
 * cannot). A null cell is a sample with no value and status `missing`; a value with another
 * status, source text or its own time goes in `samples`, which a reader applies after the grids.
 */
export const Grid = Type.Object(
  {
    rows: Type.Array(GridRow, { maxItems: 1024 }),
    cols: Type.Array(GridColumn, { maxItems: 256 }),
    v: Type.Array(Type.Union([Type.Number(), Type.Null()]), { maxItems: 65536 }),
  },
  { additionalProperties: true },
);

export const Severity = Type.Union([
  Type.Literal('info'),
  Type.Literal('warning'),
  Type.Literal('error'),
  Type.Literal('critical'),
]);

export const EventRecord = Type.Object(
  {
    ts: Millis,
    /** What produced it: `probe`, `xid`, `npu-fault`, `throttle`, … */
    kind: Name,
    severity: Severity,
    message: Text,
    d: Type.Optional(Name),
    code: Type.Optional(Type.String({ maxLength: 64 })),
    /*
     * Added in v1 for diagnoses (issue 14, 2026-12-03), all optional: an older reader ignores them
     * and shows `message`. Shapes: collector/core/diagnosis/types.ts.
     */
    /** The likely cause, in plain words. */
    cause: Type.Optional(Text),
    /** What it does to serving ("GPU unusable until the node is rebooted"). */
    impact: Type.Optional(Text),
    /** The catalog's action bucket, a one-line summary and the concrete steps. */
    action: Type.Optional(
      Type.Object(
        {
          bucket: Name,
          summary: Text,
          steps: Type.Array(Text, { maxItems: 16 }),
        },
        { additionalProperties: true },
      ),
    ),
    /** The lines and values it rests on, with their times (null: the line had none). */
    evidence: Type.Optional(
      Type.Array(
        Type.Object(
          {
            ts: Type.Union([Millis, Type.Null()]),
            text: Text,
            source: Name,
          },
          { additionalProperties: true },
        ),
        { maxItems: 32 },
      ),
    ),
    /** The catalog entry: `{catalog: 'nvsentinel-xid', id: '79', name: '…', url}`. */
    ref: Type.Optional(
      Type.Object(
        {
          catalog: Name,
          id: Type.String({ maxLength: 64 }),
          name: Type.Optional(Type.String({ maxLength: 256 })),
          url: Type.Optional(Type.String({ maxLength: 1024 })),
        },
        { additionalProperties: true },
      ),
    ),
    /** The incident it belongs to, and the diagnosis's own stable id (repeats update it). */
    incident: Type.Optional(Type.String({ maxLength: 256 })),
    id: Type.Optional(Type.String({ maxLength: 256 })),
    /** How many signals it stands for (a storm is counted, not repeated); the latest one's time. */
    count: Type.Optional(Type.Integer({ minimum: 1 })),
    lastTs: Type.Optional(Millis),
    /** When a value-based diagnosis cleared (its all-clear event has severity info). */
    resolved: Type.Optional(Millis),
  },
  { additionalProperties: true },
);

export const InventoryMessage = Type.Object(
  {
    ...Envelope,
    type: Type.Literal('inventory'),
    host: HostInfo,
    devices: Type.Array(DeviceInfo, { maxItems: MAX_DEVICES }),
    probes: Type.Array(ProbeStatus, { maxItems: 64 }),
  },
  { additionalProperties: true, $id: 'osprey.v1.inventory' },
);

export const MetricsMessage = Type.Object(
  {
    ...Envelope,
    type: Type.Literal('metrics'),
    /** The sender's sampling interval (ms): a value older than ~2 intervals is stale. */
    interval: Type.Number({ exclusiveMinimum: 0 }),
    samples: Type.Array(Sample, { maxItems: 65536 }),
    grids: Type.Optional(Type.Array(Grid, { maxItems: 64 })),
  },
  { additionalProperties: true, $id: 'osprey.v1.metrics' },
);

export const EventsMessage = Type.Object(
  {
    ...Envelope,
    type: Type.Literal('events'),
    events: Type.Array(EventRecord, { maxItems: 4096 }),
  },
  { additionalProperties: true, $id: 'osprey.v1.events' },
);

export const MESSAGE_SCHEMAS = {
  inventory: InventoryMessage,
  metrics: MetricsMessage,
  events: EventsMessage,
} as const;

export type MessageType = keyof typeof MESSAGE_SCHEMAS;
export type HostInfo = Static<typeof HostInfo>;
export type DeviceInfo = Static<typeof DeviceInfo>;
export type ProbeState = Static<typeof ProbeState>;
export type ProbeStatus = Static<typeof ProbeStatus>;
export type SampleStatus = Static<typeof SampleStatus>;
export type Sample = Static<typeof Sample>;
export type GridRow = Static<typeof GridRow>;
export type GridColumn = Static<typeof GridColumn>;
export type Grid = Static<typeof Grid>;
export type Severity = Static<typeof Severity>;
export type EventRecord = Static<typeof EventRecord>;
export type InventoryMessage = Static<typeof InventoryMessage>;
export type MetricsMessage = Static<typeof MetricsMessage>;
export type EventsMessage = Static<typeof EventsMessage>;
export type WireMessage = InventoryMessage | MetricsMessage | EventsMessage;
