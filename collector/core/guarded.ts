/**
 * nats.js runs a subscription callback inside its protocol parser, and an async iterator body
 * inside the loop that feeds it: a throw there ends that connection's reader, so every message
 * after one bad one is lost (issue 10). Each of our NATS callbacks and loop bodies runs through
 * guarded(): a throw becomes a counted problem (`report`) and the next message is handled.
 */
export function guarded<A extends unknown[]>(
  handle: (...args: A) => void,
  report: (error: unknown, args: A) => void,
): (...args: A) => void {
  return (...args: A): void => {
    try {
      handle(...args);
    } catch (error) {
      try {
        report(error, args);
      } catch {
        // The reporter failing too must not reach nats.js either; the message is lost, the
        // reader is not.
      }
    }
  };
}

/** What went wrong, as one short line whatever was thrown. */
export function thrownText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
