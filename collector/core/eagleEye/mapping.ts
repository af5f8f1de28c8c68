/**
 * How Eagle Eye messages map onto canonical engine metrics. The openFuyao Eagle Eye design has a
 * vLLM stat logger publish per-step stats on `eagle_eye.routing_metrics` after each decode batch,
 * but its JSON fields are not published; so the mapping is data the user can edit per connection,
 * and the default guesses vLLM's own `SchedulerStats` names (vllm/v1/metrics/stats.py:
 * num_running_reqs, num_waiting_reqs, kv_cache_usage as a 0–1 fraction, and prefix_cache_stats
 * with per-step `queries` and `hits` token counts).
 *
 * Paths are dotted field names into the message (`prefix_cache_stats.hits`; an array element is
 * its index, `engines.0.id`).
 */
import Type, { type Static } from 'typebox';

const Path = Type.String({ minLength: 1, maxLength: 256, pattern: '^[^.\\s]+(\\.[^.\\s]+)*$' });
const MetricName = Type.String({ minLength: 1, maxLength: 128 });
const Scale = Type.Number({ exclusiveMinimum: 0 });

/**
 * One metric from a message. Either `path`: the field times `scale` (`kv_cache_usage` × 100 →
 * percent); or `ratio`: a share of two per-step counts summed over the steps that arrive within
 * one display tick (Σ hits / Σ queries × 100 → prefix-cache hit rate). A window with no queries
 * gives no value, never 0. Exactly one of the two (checkEagleEyeMapping says so when not).
 */
export const MappingRule = Type.Object(
  {
    metric: MetricName,
    path: Type.Optional(Path),
    ratio: Type.Optional(
      Type.Object({ numerator: Path, denominator: Path }, { additionalProperties: false }),
    ),
    scale: Type.Optional(Scale),
  },
  { additionalProperties: false },
);

export const EagleEyeMapping = Type.Object(
  {
    identity: Type.Object(
      {
        /** The engine instance, unique within its node (the `engine` label). */
        engine: Path,
        /** The served model name (the `model` label). */
        model: Type.Optional(Path),
        /** The node (host) the engine runs on. */
        node: Path,
        /** The cluster; absent: the connection's cluster filter, else "eagle-eye". */
        cluster: Type.Optional(Path),
        /** When the step happened; absent or missing in a message: when it arrived. */
        timestamp: Type.Optional(Path),
      },
      { additionalProperties: false },
    ),
    /** Unit of the timestamp field: seconds (Python's time.time()) or milliseconds. */
    timestampUnit: Type.Optional(Type.Union([Type.Literal('s'), Type.Literal('ms')])),
    /** The `framework` label of every sample. */
    framework: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    metrics: Type.Array(MappingRule, { minItems: 1, maxItems: 64 }),
  },
  { additionalProperties: false },
);

export type MappingRule = Static<typeof MappingRule>;
export type EagleEyeMapping = Static<typeof EagleEyeMapping>;

export const DEFAULT_EAGLE_EYE_MAPPING: EagleEyeMapping = {
  identity: {
    engine: 'engine_id',
    model: 'model_name',
    node: 'hostname',
    timestamp: 'timestamp',
  },
  timestampUnit: 's',
  framework: 'vllm',
  metrics: [
    { metric: 'engine.requests.running', path: 'num_running_reqs' },
    { metric: 'engine.requests.waiting', path: 'num_waiting_reqs' },
    { metric: 'engine.kv_cache.usage', path: 'kv_cache_usage', scale: 100 },
    {
      metric: 'engine.prefix_cache.hit_rate',
      ratio: { numerator: 'prefix_cache_stats.hits', denominator: 'prefix_cache_stats.queries' },
      scale: 100,
    },
  ],
};
