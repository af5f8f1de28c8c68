/**
 * Export of the graph as it is on screen (zoom, search highlight, colours): the frames read back
 * from the drawn SVG become a standalone SVG file (rects and <text>, no foreignObject or page
 * CSS, so it opens in any viewer) or are painted onto a canvas for PNG. Names are escaped for
 * XML: a frame called `<script>` stays text. Pure except `paintFrames`, which draws on the
 * context it is given.
 */

/** One frame as drawn: position and size in px, fill, name, faded (an ancestor of the zoom). */
export interface DrawnFrame {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly fill: string;
  readonly name: string;
  readonly faded: boolean;
}

/** Labels as d3-flame-graph draws them: none under 35 px, 12 px text, about 7 px a character. */
const MIN_LABEL_WIDTH = 35;
const CHAR_WIDTH = 7;
const PAD = 4;
const FONT = "12px Inter, 'Segoe UI', system-ui, sans-serif";
const BACKGROUND = '#181b1f';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The label that fits `width`, cut with an ellipsis; '' when none fits. */
export function fitLabel(name: string, width: number): string {
  if (width < MIN_LABEL_WIDTH) return '';
  const chars = Math.floor((width - 2 * PAD) / CHAR_WIDTH);
  if (chars <= 1) return '';
  return name.length <= chars ? name : `${name.slice(0, chars - 1)}…`;
}

export function flameSvg(
  frames: readonly DrawnFrame[],
  width: number,
  height: number,
  title: string,
): string {
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT.replace(/^\S+ /, ''))}" ` +
      `font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="${BACKGROUND}"/>`,
  ];
  for (const f of frames) {
    const opacity = f.faded ? ' opacity="0.6"' : '';
    out.push(
      `<g transform="translate(${round(f.x)},${round(f.y)})"${opacity}>` +
        `<title>${escapeXml(f.name)}</title>` +
        `<rect width="${round(f.width)}" height="${f.height}" fill="${escapeXml(f.fill)}" ` +
        `stroke="${BACKGROUND}" stroke-width="0.5"/>`,
    );
    const label = fitLabel(f.name, f.width);
    if (label !== '') {
      out.push(
        `<text x="${PAD}" y="${round(f.height * 0.7)}" fill="#111">${escapeXml(label)}</text>`,
      );
    }
    out.push('</g>');
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** The same frames on a 2D canvas (PNG export), at `scale` device pixels per px. */
export function paintFrames(
  ctx: CanvasRenderingContext2D,
  frames: readonly DrawnFrame[],
  width: number,
  height: number,
  scale: number,
): void {
  ctx.scale(scale, scale);
  ctx.fillStyle = BACKGROUND;
  ctx.fillRect(0, 0, width, height);
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  for (const f of frames) {
    ctx.globalAlpha = f.faded ? 0.6 : 1;
    ctx.fillStyle = f.fill;
    ctx.fillRect(f.x, f.y, Math.max(0, f.width - 0.5), f.height - 0.5);
    const label = fitLabel(f.name, f.width);
    if (label !== '') {
      ctx.fillStyle = '#111';
      ctx.fillText(label, f.x + PAD, f.y + f.height / 2, f.width - 2 * PAD);
    }
  }
  ctx.globalAlpha = 1;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** A file name from a profile's name: no path separators or control characters, at most 80. */
export function fileStem(name: string): string {
  const stem = name
    .replace(/[\p{Cc}\p{Cf}/\\:*?"<>|]+/gu, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
  return stem === '' ? 'profile' : stem;
}
