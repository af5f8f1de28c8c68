/**
 * Frame colours. Light enough that the labels' dark text reads on every one of them (contrast
 * against #111 ≥ 7:1 at lightness 62 % and above), on the console's dark canvas.
 *
 * - by kind: one hue per FrameKind, as speedscope and Brendan Gregg's palettes do (Python yellow,
 *   native orange, kernel red, CUDA green), lightness varied a little by name so neighbours differ;
 * - by module: one hue per Python package or shared library, from a hash of its name;
 * - diff: grey for no change, towards red for a frame that grew and blue for one that shrank,
 *   intensity by its change in share of total over the largest change in the graph.
 */
import type { FrameKind } from '../../../../collector/core/profile/model.js';

export type ColorBy = 'kind' | 'module';

/** Hue (degrees) and saturation (%) per kind. */
const KIND_HUES: Readonly<Record<FrameKind, readonly [number, number]>> = {
  python: [48, 75],
  native: [24, 80],
  kernel: [0, 70],
  'cuda-kernel': [100, 55],
  jit: [175, 55],
  'gpu-op': [140, 50],
  other: [220, 8],
};

/** The colour of frames without a module (and merge nodes, and the root). */
export const NEUTRAL = 'hsl(220 8% 66%)';
/** Frames matching the search or the selected function. */
export const HIGHLIGHT = 'hsl(290 85% 72%)';

/** 0 … 1 from a name, stable across runs (FNV-1a over UTF-16 units). */
export function nameHash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0xffffffff;
}

export function kindColor(kind: FrameKind, name: string): string {
  const [hue, sat] = KIND_HUES[kind];
  const light = 62 + Math.round(nameHash(name) * 12);
  return `hsl(${hue} ${sat}% ${light}%)`;
}

export function moduleColor(module: string | undefined): string {
  if (module === undefined || module === '') return NEUTRAL;
  const hue = Math.round(nameHash(module) * 360);
  return `hsl(${hue} 60% 68%)`;
}

const GREY = [200, 202, 208] as const;
const RED = [232, 72, 72] as const;
const BLUE = [72, 128, 232] as const;

/**
 * The colour of a change `delta` (after share − before share) when the largest change in the
 * graph is `maxAbs`: grey at 0, full red (grew) or blue (shrank) at ±maxAbs.
 */
export function diffColor(delta: number, maxAbs: number): string {
  if (!(maxAbs > 0) || delta === 0 || !Number.isFinite(delta)) return rgb(GREY);
  const t = Math.min(1, Math.abs(delta) / maxAbs);
  const to = delta > 0 ? RED : BLUE;
  return rgb([0, 1, 2].map((i) => GREY[i]! + (to[i]! - GREY[i]!) * t));
}

function rgb(c: readonly number[]): string {
  return `rgb(${c.map((v) => Math.round(v)).join(', ')})`;
}
