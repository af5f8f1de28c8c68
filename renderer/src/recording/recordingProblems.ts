/** The player's problems (truncation, read errors) as the header's problems list shows a source's. */
import type { PlayerProblem } from '../player/playerTypes.js';
import type { SourceProblem } from '../sources/Source.js';

export function recordingProblems(
  problems: readonly PlayerProblem[],
  now: number,
): SourceProblem[] {
  // The player does not time its problems; they belong to the recording, shown at its clock.
  return problems.map((p) => ({ key: p.key, message: p.message, count: p.count, lastAt: now }));
}
