/**
 * The compiled validators of the three message types, typed: each answers exactly what
 * `Value.Check(MESSAGE_SCHEMAS[type], value)` answers (compiled.test.ts), as straight-line code
 * written at build time (emit.ts), so no function is built at run time.
 */
import type { EventsMessage, InventoryMessage, MessageType, MetricsMessage } from '../spec.js';
import { Check as events } from './events.js';
import { Check as inventory } from './inventory.js';
import { Check as metrics } from './metrics.js';

interface CompiledChecks extends Record<MessageType, (value: unknown) => boolean> {
  inventory: (value: unknown) => value is InventoryMessage;
  metrics: (value: unknown) => value is MetricsMessage;
  events: (value: unknown) => value is EventsMessage;
}

// The generated modules are untyped (@ts-nocheck): their answers are the schemas', which
// compiled.test.ts holds them to, so the predicates are asserted here.
export const COMPILED_CHECKS = { inventory, metrics, events } as CompiledChecks;
