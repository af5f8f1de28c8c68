/** A sender's text cut to `max` characters for a problem message (problems are shown and counted by text). */
export function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
