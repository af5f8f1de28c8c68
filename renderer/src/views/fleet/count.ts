/** "1 node", "4,096 devices": a count with its noun, in the console's number style. */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en')} ${n === 1 ? noun : `${noun}s`}`;
}

/** What the store refused (NodeSeries' per-node series limit), or undefined while nothing was. */
export function droppedText(dropped: number, limit: number): string | undefined {
  if (dropped <= 0) return undefined;
  return `${count(dropped, 'sample')} dropped: a node sent more than ${limit.toLocaleString('en')} series`;
}
