/**
 * Names and labels from outside (node, device, engine, model, cluster and connection names, label
 * values, tool messages) are drawn as text, and invisible characters in them are drawn as escapes.
 * A right-to-left override (U+202E) in "exe.doc" otherwise displays it reversed; a zero-width
 * space makes two different nodes look the same; a NUL or an ESC has no business on screen. So
 * every such name passes through displayName() before React, a canvas or ECharts draws it, and
 * what it escapes is visible as `\u202E`.
 *
 * Escaped: control characters (Unicode category Cc: C0, DEL, C1), format characters (Cf: the bidi
 * embeddings, overrides and isolates U+202A–202E and U+2066–2069, U+200B–200F, U+061C, U+FEFF,
 * U+00AD, U+2060–2064, tags U+E0000–E007F, …), line and paragraph separators (Zl, Zp) and lone
 * surrogate halves (Cs), which no font draws. Visible text is left alone (emoji too, though the
 * joiners inside a ZWJ sequence such as a family emoji show as \u200D: a name is not prose).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

export function displayName(text: string): string {
  return text.replace(INVISIBLE, escapeCodePoint);
}

/** `\u202E`, or `\u{E0001}` past the Basic Multilingual Plane. */
function escapeCodePoint(char: string): string {
  const code = char.codePointAt(0)!;
  const hex = code.toString(16).toUpperCase();
  return code > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
}
