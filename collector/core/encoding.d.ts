/**
 * The WHATWG Encoding API exists in every runtime the core runs in (browsers, Electron, Node ≥ 11)
 * but belongs to neither lib es2022 nor our no-DOM, no-Node core, so declare just what we use.
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
