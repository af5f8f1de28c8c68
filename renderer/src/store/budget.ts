/**
 * How much one console connection may hold, whatever its senders do: set here and nowhere else
 * (README.md, "Bounds"). Until these existed the store was bounded per node only, and 48 nodes
 * sending 65,536-series grids took a page to a 1.16 GB heap and 2.9 GB of typed arrays (issue 10).
 *
 * The design target (DESIGN.md, performance table) is 4,096 devices × 12 metrics at 2 Hz: 49,152
 * device series, plus ~50 host and engine series on each of 512 nodes (~25,600), so ~75,000 series
 * and ~1,024 messages a second. The stated bound is a JS heap ≤ 600 MB whatever a sender does.
 */

/**
 * Series held at most: 4 × the 49,152 device series of the design target (2.6 × with hosts and
 * engines). Three senders at the per-node limit (NodeSeries.MAX_SERIES_PER_NODE, 65,536) fill it.
 */
export const MAX_SERIES = 196_608;

/**
 * Nodes holding more than LARGE_NODE_SERIES series (a real node holds ~150: 8 devices × 13 metrics,
 * host and engines) share at most MAX_SERIES − RESERVED_SERIES between them; the rest is kept for
 * nodes below that, which is the design target's 49,152 device series. So a series bomb that
 * arrives first cannot leave a real node, arriving later, without room.
 */
export const LARGE_NODE_SERIES = 1_024;
export const RESERVED_SERIES = 49_152;

/**
 * Nodes held at most: the design target on single-device nodes is 4,096 nodes (on 8-GPU nodes
 * 512); twice that. A node's state without series is small; its inventory is counted below.
 */
export const MAX_NODES = 8_192;

/**
 * Bytes of series held at most: history values (a fleet store's 240 float32 points are 960 B a
 * series, the local store's 600 float64 points 4,800 B) plus SERIES_OVERHEAD_BYTES and the label
 * text of each series, plus each node's tick times. A fleet store at MAX_SERIES needs ~232 MiB of
 * it, so there the series count binds; the local store's longer history binds here at ~52,000.
 */
export const MAX_HISTORY_BYTES = 256 * 1024 * 1024;

/**
 * What one series costs besides its values, measured in Node (BENCHMARKS.md, "2026-12-02: bounded
 * console"): the Series and TickHistory objects, the typed array's header, map and slot entries.
 */
export const SERIES_OVERHEAD_BYTES = 256;

/**
 * Inventory bytes held at most (estimated from the text and numbers they carry): a real 8-GPU
 * node's inventory is ~4 KB, 512 of them ~2 MB; 64 MiB is 32 × that. Without it 8,192 nodes of
 * 1,024 devices and 64 probes with 4 KB messages each could hold gigabytes within MAX_NODES.
 */
export const MAX_INVENTORY_BYTES = 64 * 1024 * 1024;

/**
 * A node silent this long may be evicted to make room (least recently seen first, never a node on
 * screen: LiveStore.retain). Three inventory periods (agents repeat the inventory every 10 s), so
 * senders that keep talking never evict each other: a flood of them is refused instead of
 * churning the store, which would allocate a node's history again on every message.
 */
export const EVICTABLE_AFTER_MS = 30_000;

/**
 * New nodes admitted per second on one connection (a token bucket), and the burst: a real 512-node
 * fleet connecting at once is admitted at once, twice over; a flood of ever-new node names (issue
 * 10 measured 87–333 a second) is turned away before its messages are decoded.
 */
export const NEW_NODES_PER_SECOND = 64;
export const NEW_NODE_BURST = 1_024;

/**
 * Messages waiting to be decoded, at most: 16 s of the design target's 1,024 messages a second,
 * or 32 MiB, whichever comes first. Past it the oldest metrics are dropped (inventories and events
 * only when no metrics are left), counted, and the header says how far behind the page is.
 */
export const MAX_QUEUED_MESSAGES = 16_384;
export const MAX_QUEUED_BYTES = 32 * 1024 * 1024;

/**
 * Work per main-thread slice of decoding and ingest: stop after this long, this many messages or
 * this many bytes, and continue in the next task. A slice runs over by at most one message (the
 * decoder refuses messages over 4 MiB), so tasks stay well under the 50 ms long-task line at the
 * design load, where one frame's ~17 messages take ~2 ms.
 */
export const SLICE_MS = 8;
export const SLICE_MESSAGES = 512;
export const SLICE_BYTES = 2 * 1024 * 1024;

/**
 * New series created per ingested batch, at most, half of them for large nodes (past
 * LARGE_NODE_SERIES) and half for the others, so a bomb ahead in the batch does not hold back a
 * real node: creating one costs 6–12 µs on a loaded 2-core machine, most of it garbage collection
 * of its objects (e2e/bench/storeBomb.mjs), and a 65,536-series grid created at once held the page
 * ~0.8 s. Cells past it wait for the node's next message; a real fleet connecting (512 nodes ×
 * ~150 series) is complete within ~75 batches, about a second.
 */
export const MAX_NEW_SERIES_PER_BATCH = 2_048;

/**
 * And at most this long (ms) creating them in one batch, checked every 64: on a machine busy
 * enough that 1,024 creations take 50 ms the count alone would not keep tasks short.
 */
export const CREATION_MS = 6;

/** The stated bound, for the benchmarks and the e2e hostile suite (not enforced at run time). */
export const HEAP_BOUND_BYTES = 600 * 1000 * 1000;

/**
 * What one connection's flight recorder (recording/FlightRecorder.ts) holds at most, besides its
 * age bound (FLIGHT_RECORDER_MS). Messages are kept as their JSON text, counted at 2 bytes a
 * character plus 64 bytes of entry: the design target's ~1,024 messages a second of ~1 KB (a
 * metrics message of an 8-GPU node) are ~2 MiB a second of that, so 64 MiB holds ~30 s of a
 * 512-node fleet and the full 10 minutes of a fleet up to ~25 such nodes; past it the oldest are
 * dropped first and counted. Beside MAX_HISTORY_BYTES (256 MiB) it keeps a connection well under
 * HEAP_BOUND_BYTES.
 */
export const FLIGHT_RECORDER_BYTES = 64 * 1024 * 1024;
/** …and at most this much receipt time: "save the last N minutes" offers 1, 5 and 10. */
export const FLIGHT_RECORDER_MS = 10 * 60_000;

/**
 * A recording started from the console is held in memory until Stop hands it to saveFile: past
 * this many bytes of (compressed) snapshot it stops by itself and says so, and what it has is
 * still saved. 512 MB compressed is ~20 min of a 512-node fleet (BENCHMARKS.md, snapshots: 1.38 GB
 * an hour), and twice that briefly while the bytes are joined for the download.
 */
export const RECORDING_MAX_BYTES = 512 * 1000 * 1000;
