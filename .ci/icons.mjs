// Draws the app icons of assets/ from renderer/public/favicon.svg, so the window, the desktop
// launcher and the browser tab show one mark. Plain Node (zlib only): no ImageMagick or librsvg
// to install. It understands exactly what the favicon uses (a viewBox, <rect> with rx, <path> of
// absolute M/L/Z) and refuses anything else by name rather than drawing a wrong icon.
//
//   node .ci/icons.mjs          writes assets/icons/NxN.png, assets/icon.ico, assets/icon.icns
//
// .ci/icons.test.ts redraws every size and compares pixels with the committed files.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FAVICON = join(ROOT, 'renderer/public/favicon.svg');

/** The freedesktop hicolor sizes (Icon Theme Specification) plus 512 for HiDPI launchers. */
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
/** Windows shows 16–256 from one .ico; 256 is the largest an ICONDIRENTRY can name. */
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** Apple's PNG-holding icns types and their pixel sizes (ic11–ic14 are the @2x variants). */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

/** 8×8 samples per pixel: edges get 65 levels of coverage, enough that 16 px stays smooth. */
const SAMPLES = 8;

function attrs(tag) {
  const out = {};
  for (const [, name, value] of tag.matchAll(/([\w-]+)="([^"]*)"/g)) out[name] = value;
  return out;
}

function hex(color, where) {
  const m = /^#([0-9a-f]{6})$/i.exec(color ?? '');
  if (!m) throw new Error(`${where}: fill "${color}" is not a #rrggbb colour`);
  const n = parseInt(m[1], 16);
  return [n >> 16, (n >> 8) & 255, n & 255];
}

function polygon(d, where) {
  const tokens = [...d.matchAll(/[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g)].map(
    (m) => m[0],
  );
  const points = [];
  for (let i = 0; i < tokens.length;) {
    const op = tokens[i++];
    if (op === 'Z') continue;
    if (op !== 'M' && op !== 'L')
      throw new Error(`${where}: path command "${op}" is not supported (absolute M, L, Z only)`);
    const x = Number(tokens[i++]);
    const y = Number(tokens[i++]);
    if (!Number.isFinite(x) || !Number.isFinite(y))
      throw new Error(`${where}: path command ${op} needs two numbers`);
    points.push([x, y]);
  }
  if (points.length < 3) throw new Error(`${where}: a path needs at least three points`);
  return points;
}

/** The shapes of the favicon, in viewBox units, back to front. */
export function parseMark(svg, where = FAVICON) {
  const viewBox = /viewBox="([^"]*)"/
    .exec(svg)?.[1]
    .split(/[\s,]+/)
    .map(Number);
  if (!viewBox || viewBox.length !== 4 || viewBox[0] !== 0 || viewBox[1] !== 0)
    throw new Error(`${where}: needs a viewBox="0 0 W H"`);
  const shapes = [];
  for (const [tag, name] of svg.matchAll(/<(\w+)\b[^>]*>/g)) {
    if (name === 'svg') continue;
    const a = attrs(tag);
    if (name === 'rect') {
      const [w, h] = [Number(a.width), Number(a.height)];
      const r = Number(a.rx ?? 0);
      shapes.push({
        kind: 'rect',
        x: Number(a.x ?? 0),
        y: Number(a.y ?? 0),
        w,
        h,
        r,
        color: hex(a.fill, where),
      });
    } else if (name === 'path') {
      shapes.push({
        kind: 'polygon',
        points: polygon(a.d ?? '', where),
        color: hex(a.fill, where),
      });
    } else {
      throw new Error(`${where}: <${name}> is not supported (rect and path only)`);
    }
  }
  return { width: viewBox[2], height: viewBox[3], shapes };
}

function inRect({ x, y, w, h, r }, px, py) {
  if (px < x || py < y || px > x + w || py > y + h) return false;
  const cx = Math.min(Math.max(px, x + r), x + w - r);
  const cy = Math.min(Math.max(py, y + r), y + h - r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
}

/** Even-odd crossing test (the favicon's path does not cross itself, so fill rules agree). */
function inPolygon(points, px, py) {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Straight (not premultiplied) RGBA pixels of the mark at size × size. */
export function drawIcon(mark, size) {
  const pixels = Buffer.alloc(size * size * 4);
  const sx = mark.width / size;
  const sy = mark.height / size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let j = 0; j < SAMPLES; j++) {
        for (let i = 0; i < SAMPLES; i++) {
          const px = (x + (i + 0.5) / SAMPLES) * sx;
          const py = (y + (j + 0.5) / SAMPLES) * sy;
          // Each shape is opaque, so the front-most one hit is the sample's colour.
          for (let s = mark.shapes.length - 1; s >= 0; s--) {
            const shape = mark.shapes[s];
            const hit =
              shape.kind === 'rect' ? inRect(shape, px, py) : inPolygon(shape.points, px, py);
            if (!hit) continue;
            r += shape.color[0];
            g += shape.color[1];
            b += shape.color[2];
            a += 1;
            break;
          }
        }
      }
      const o = (y * size + x) * 4;
      if (a === 0) continue;
      pixels[o] = Math.round(r / a);
      pixels[o + 1] = Math.round(g / a);
      pixels[o + 2] = Math.round(b / a);
      pixels[o + 3] = Math.round((255 * a) / (SAMPLES * SAMPLES));
    }
  }
  return pixels;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA PNG (colour type 6), every row with filter 0 (none). */
export function encodePng(pixels, size) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++)
    pixels.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An .ico holding PNG images (read by Windows Vista and later). */
export function encodeIco(pngs) {
  const header = Buffer.alloc(6 + 16 * pngs.length);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length;
  pngs.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i;
    header[e] = size % 256; // 0 means 256
    header[e + 1] = size % 256;
    header.writeUInt16LE(1, e + 4); // colour planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...pngs.map((p) => p.png)]);
}

/** An .icns of PNG-holding elements: 'icns', total length, then (type, length, PNG) each. */
export function encodeIcns(entries) {
  const parts = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

/** Every file of assets/ that this script owns, path (from the root) → bytes. */
export function iconFiles(svg = readFileSync(FAVICON, 'utf8')) {
  const mark = parseMark(svg);
  const png = new Map();
  const at = (size) => {
    if (!png.has(size)) png.set(size, encodePng(drawIcon(mark, size), size));
    return png.get(size);
  };
  const files = new Map();
  for (const size of PNG_SIZES) files.set(`assets/icons/${size}x${size}.png`, at(size));
  files.set('assets/icon.ico', encodeIco(ICO_SIZES.map((size) => ({ size, png: at(size) }))));
  files.set(
    'assets/icon.icns',
    encodeIcns(ICNS_TYPES.map(([type, size]) => ({ type, png: at(size) }))),
  );
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [path, bytes] of iconFiles()) {
    mkdirSync(dirname(join(ROOT, path)), { recursive: true });
    writeFileSync(join(ROOT, path), bytes);
    console.log(`${path} ${bytes.length} bytes`);
  }
}
