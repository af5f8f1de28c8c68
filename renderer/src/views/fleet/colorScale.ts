/**
 * Colours of fleet cells: the viridis scale of charts/theme.ts as a 256-step lookup table (a
 * canvas fill per cell must not interpolate strings), and health as traffic lights.
 */
import { HEATMAP_COLORS } from '../../charts/theme.js';
import type { Health } from './types.js';

export const SCALE_STEPS = 256;

function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** `steps` CSS colours evenly spread over the given stops. */
export function buildScale(stops: readonly string[], steps = SCALE_STEPS): string[] {
  const points = stops.map(rgb);
  const out: string[] = [];
  for (let i = 0; i < steps; i++) {
    const x = (i / (steps - 1)) * (points.length - 1);
    const k = Math.min(points.length - 2, Math.floor(x));
    const f = x - k;
    const [a, b] = [points[k]!, points[k + 1]!];
    const c = a.map((v, j) => Math.round(v + (b[j]! - v) * f));
    out.push(`rgb(${c[0]},${c[1]},${c[2]})`);
  }
  return out;
}

export const VIRIDIS = buildScale(HEATMAP_COLORS);

/** The scale colour of a position 0–1 (clamped). */
export function scaleColor(t: number): string {
  const i = Math.round(Math.min(1, Math.max(0, t)) * (SCALE_STEPS - 1));
  return VIRIDIS[i]!;
}

/** Health reads as state, not as a magnitude: green, yellow, orange, red (theme.css). */
export const HEALTH_COLORS: Record<Health, string> = {
  ok: '#3fb950',
  warning: '#e0a526',
  error: '#ff7a1a',
  critical: '#f2495c',
  unknown: '#202329',
};

/** Dark text on light cells, light on dark. */
export function textOn(t: number): string {
  return t >= 0.55 ? '#111217' : '#f4f4f6';
}
