/** "1 node", "4,096 devices": a count with its noun, in the console's number style. */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en')} ${n === 1 ? noun : `${noun}s`}`;
}

/**
 * What the store refused or evicted to stay within its budget (LiveStore.problems, keys `store:`),
 * in one line beside the device count, or undefined while nothing was: "2,949,120 samples refused:
 * the console holds at most 196,608 series (46 nodes refused, …)".
 */
export function storeLimitsText(
  problems: readonly { key: string; message: string }[],
): string | undefined {
  const mine = problems.filter((p) => p.key.startsWith('store:'));
  return mine.length === 0 ? undefined : mine.map((p) => p.message).join('; ');
}
