import { MESSAGE_SCHEMAS, type MessageType } from '../core/protocol/spec.js';

export function runSchema(type?: string): number {
  if (type === undefined) {
    process.stdout.write(JSON.stringify(MESSAGE_SCHEMAS, null, 2) + '\n');
    return 0;
  }
  if (!Object.hasOwn(MESSAGE_SCHEMAS, type)) {
    process.stderr.write(
      `osprey schema: unknown message type "${type}" (expected ${Object.keys(MESSAGE_SCHEMAS).join(', ')})\n`,
    );
    return 2;
  }
  process.stdout.write(JSON.stringify(MESSAGE_SCHEMAS[type as MessageType], null, 2) + '\n');
  return 0;
}
