/** "1 node", "4,096 devices": a count with its noun, in the console's number style. */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en')} ${n === 1 ? noun : `${noun}s`}`;
}
