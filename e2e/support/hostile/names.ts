/**
 * Names a hostile sender puts in every field a console might draw: markup that would run script
 * if it reached innerHTML (each payload sets PWNED_FLAG, so "no script ran" is one check), and
 * bidi controls that would make "exe.cod" read as "doc.exe" if drawn raw (issue 10: names must be
 * shown escaped, as the text `\u202E`).
 */
import { deriveSeed, Rng } from '../../../collector/simulator/prng.js';

/** Set on window by any payload that manages to run. */
export const PWNED_FLAG = '__ospreyHostileRan';

/** RIGHT-TO-LEFT OVERRIDE: the usual trick to disguise a file name. */
export const RLO = '\u202E';

/** Markup that runs script when parsed as HTML (and only then). */
export const MARKUP = [
  `<img src=x onerror="window.${PWNED_FLAG}='img'">`,
  `<script>window.${PWNED_FLAG}='script'</script>`,
  `<svg onload="window.${PWNED_FLAG}='svg'"></svg>`,
  `<iframe src="javascript:parent.${PWNED_FLAG}='iframe'"></iframe>`,
  `"><img src=x onerror=alert(1)>`,
] as const;

/** Bidi and other invisible format characters (U+202A–202E, U+2066–2069, U+200E/F, U+061C). */
export const BIDI_CONTROLS = [
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200E',
  '\u200F',
  '\u061C',
] as const;

/** Matches any character of BIDI_CONTROLS: none may reach the page's text unescaped. */
export const BIDI_PATTERN = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;

/** A name that reads "…doc.exe" when drawn raw; `tag` keeps each one findable. */
export function bidiName(tag: string): string {
  return `bidi-${tag}-${RLO}exe.cod`;
}

/** A name that carries script when drawn as HTML; `tag` keeps each one findable. */
export function markupName(tag: string, rng: Rng): string {
  return `html-${tag}-${rng.pick(MARKUP)}`;
}

/**
 * The same markup name for the same seed and tag every time, so a node sending it each tick stays
 * one node, one engine, one device.
 */
export function stableMarkupName(seed: number, tag: string): string {
  return hostileName(tag, new Rng(deriveSeed(seed, tag)));
}

/** Both at once, bounded to the protocol's 256-character names. */
export function hostileName(tag: string, rng: Rng): string {
  return `${markupName(tag, rng)}${RLO}${rng.pick(BIDI_CONTROLS)}`.slice(0, 256);
}
