import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { drawIcon, FAVICON, ICNS_TYPES, ICO_SIZES, parseMark, PNG_SIZES, ROOT } from './icons.mjs';

/** Decodes the PNGs .ci/icons.mjs writes (8-bit RGBA, filter 0 rows) and checks every chunk CRC. */
function decodePng(png: Buffer): { size: number; pixels: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let size = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length), `${type} CRC`).toBe(
      crc32(png.subarray(at + 4, at + 8 + length)),
    );
    if (type === 'IHDR') {
      size = data.readUInt32BE(0);
      expect(data.readUInt32BE(4)).toBe(size);
      expect([...data.subarray(8, 13)]).toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const row = size * 4 + 1;
  expect(raw.length).toBe(size * row);
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    expect(raw[y * row]).toBe(0);
    raw.copy(pixels, y * size * 4, y * row + 1, (y + 1) * row);
  }
  return { size, pixels };
}

/** CRC-32 (ISO 3309), written out here so the test does not trust the encoder's own CRC. */
function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

const mark = parseMark(readFileSync(FAVICON, 'utf8'));
const read = (path: string) => readFileSync(join(ROOT, path));
const rgba = (pixels: Buffer, size: number, x: number, y: number) => [
  ...pixels.subarray((y * size + x) * 4, (y * size + x) * 4 + 4),
];

describe('app icons in assets/', () => {
  it.each(PNG_SIZES.map((size) => [`${size}x${size}`, size] as const))(
    'assets/icons/%s.png is the favicon mark redrawn at that size',
    (name, size) => {
      const png = decodePng(read(`assets/icons/${name}.png`));
      expect(png.size).toBe(size);
      expect(png.pixels.equals(drawIcon(mark, size))).toBe(true);
    },
  );

  it('draws the favicon: clear corners, the dark tile, the blue mark', () => {
    const { pixels } = decodePng(read('assets/icons/512x512.png'));
    // favicon.svg: a 24-unit tile #111217 with rx 5, and the mark #5794f2 through (12, 17).
    const at = (x: number, y: number) =>
      rgba(pixels, 512, Math.floor((x * 512) / 24), Math.floor((y * 512) / 24));
    expect(at(0.2, 0.2)[3]).toBe(0);
    expect(at(12, 3)).toEqual([0x11, 0x12, 0x17, 255]);
    expect(at(12, 17)).toEqual([0x57, 0x94, 0xf2, 255]);
  });

  it('packs 16–256 px PNGs into assets/icon.ico with a directory that points at each', () => {
    const ico = read('assets/icon.ico');
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, 7]);
    const sizes = ICO_SIZES.map((size, i) => {
      const e = 6 + 16 * i;
      const [w, h] = [ico[e] || 256, ico[e + 1] || 256];
      expect([w, h, ico.readUInt16LE(e + 4), ico.readUInt16LE(e + 6)]).toEqual([size, size, 1, 32]);
      const start = ico.readUInt32LE(e + 12);
      const png = decodePng(ico.subarray(start, start + ico.readUInt32LE(e + 8)));
      expect(png.pixels.equals(drawIcon(mark, size))).toBe(true);
      return png.size;
    });
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('packs the macOS sizes into assets/icon.icns, lengths adding up to the file', () => {
    const icns = read('assets/icon.icns');
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found: [string, number][] = [];
    for (let at = 8; at < icns.length;) {
      const length = icns.readUInt32BE(at + 4);
      found.push([
        icns.toString('latin1', at, at + 4),
        decodePng(icns.subarray(at + 8, at + length)).size,
      ]);
      at += length;
    }
    expect(found).toEqual(ICNS_TYPES);
  });

  it('assets/osprey.desktop names the installed icon and the window class Electron sets', () => {
    const entry = read('assets/osprey.desktop').toString('utf8');
    const { name } = JSON.parse(read('package.json').toString('utf8')) as { name: string };
    expect(entry.split('\n')[0]).toBe('[Desktop Entry]');
    expect(entry).toContain('\nIcon=osprey\n');
    // Electron's WM_CLASS is package.json "name"; docks match it to StartupWMClass.
    expect(entry).toContain(`\nStartupWMClass=${name}\n`);
    expect(entry).toContain('\nExec="@OSPREY_DIR@/node_modules/.bin/electron" "@OSPREY_DIR@"\n');
  });

  it('refuses SVG it cannot draw, naming the element or command', () => {
    const svg = (body: string) => `<svg viewBox="0 0 24 24">${body}</svg>`;
    expect(() => parseMark(svg('<circle r="3" fill="#ffffff"/>'), 'x.svg')).toThrow(
      'x.svg: <circle> is not supported (rect and path only)',
    );
    expect(() => parseMark(svg('<path d="M1 1 l2 2 L3 1 Z" fill="#ffffff"/>'), 'x.svg')).toThrow(
      'x.svg: path command "l" is not supported (absolute M, L, Z only)',
    );
    expect(() => parseMark(svg('<rect width="2" height="2" fill="blue"/>'), 'x.svg')).toThrow(
      'x.svg: fill "blue" is not a #rrggbb colour',
    );
  });
});
