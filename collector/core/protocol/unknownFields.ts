/**
 * Drops the fields a valid message carries that this version's schema does not describe (the
 * evolution rule in spec.ts): a newer sender's extra field is accepted, then removed here, so the
 * store only ever holds what this console knows how to read. Called after validation, so every
 * known field already has its schema's shape; it follows the schema, not the value, so an unknown
 * field is never walked however large or deep it is (the message is bounded before it is parsed,
 * decode.ts MAX_MESSAGE_BYTES), and recursion depth is the schema's (4 levels: /grids/N/rows/N).
 */

interface SchemaNode {
  type?: unknown;
  properties?: Record<string, SchemaNode>;
  patternProperties?: unknown;
  items?: SchemaNode;
}

/** A schema object's own field names and the fields worth descending into, built once. */
interface ObjectPlan {
  known: ReadonlySet<string>;
  nested: [string, SchemaNode][];
}

const plans = new WeakMap<SchemaNode, ObjectPlan>();

/** Deletes unknown fields of `value` in place, as `schema` describes it; returns how many. */
export function dropUnknownFields(schema: unknown, value: unknown): number {
  return drop(schema as SchemaNode, value);
}

function drop(schema: SchemaNode, value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (schema.type === 'array') {
    const items = schema.items;
    if (!Array.isArray(value) || !isContainer(items)) return 0;
    let dropped = 0;
    for (let i = 0; i < value.length; i++) dropped += drop(items!, value[i]);
    return dropped;
  }
  // A Record (labels) keeps every key: its keys are data, not fields.
  if (schema.type !== 'object' || schema.properties === undefined) return 0;
  if (schema.patternProperties !== undefined || Array.isArray(value)) return 0;
  const plan = planOf(schema);
  const record = value as Record<string, unknown>;
  let dropped = 0;
  for (const key of Object.keys(record)) {
    if (plan.known.has(key)) continue;
    delete record[key];
    dropped += 1;
  }
  for (const [name, child] of plan.nested) {
    if (Object.hasOwn(record, name)) dropped += drop(child, record[name]);
  }
  return dropped;
}

function planOf(schema: SchemaNode): ObjectPlan {
  let plan = plans.get(schema);
  if (plan === undefined) {
    const properties = schema.properties!;
    plan = {
      known: new Set(Object.keys(properties)),
      nested: Object.entries(properties).filter(([, child]) => isContainer(child)),
    };
    plans.set(schema, plan);
  }
  return plan;
}

function isContainer(schema: SchemaNode | undefined): boolean {
  return schema?.type === 'object' || schema?.type === 'array';
}
