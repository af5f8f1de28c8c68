import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';

import { afterAll, describe, expect, it } from 'vitest';

import { DiagnoseError, MAX_LINE_CHARS, readLines } from './diagnoseInput.js';

const tmp = mkdtempSync(join(tmpdir(), 'osprey-diagnose-input-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const NO_STDIN = Readable.from([]);

async function lines(path: string, stdin: Readable = NO_STDIN): Promise<string[]> {
  const out: string[] = [];
  for await (const l of readLines(path, stdin)) out.push(l);
  return out;
}

async function failure(path: string, stdin: Readable = NO_STDIN): Promise<string> {
  try {
    await lines(path, stdin);
  } catch (error) {
    expect(error).toBeInstanceOf(DiagnoseError);
    return (error as Error).message;
  }
  throw new Error(`${path} was read`);
}

describe('diagnose inputs', () => {
  it('reads a file line by line, CRLF or LF, with or without a last newline', async () => {
    const f = join(tmp, 'crlf.log');
    writeFileSync(f, 'one\r\ntwo\r\n\r\nthree');
    expect(await lines(f)).toEqual(['one', 'two', '', 'three']);
  });

  it('reads standard input for "-", split across chunks mid-line and mid-character', async () => {
    const bytes = Buffer.from('NVRM: Xid é 79\nsecond\n');
    const cut = bytes.indexOf(0xc3) + 1;
    const stdin = Readable.from([
      bytes.subarray(0, 3),
      bytes.subarray(3, cut),
      bytes.subarray(cut),
    ]);
    expect(await lines('-', stdin)).toEqual(['NVRM: Xid é 79', 'second']);
  });

  it('reads a gzip-compressed log (kern.log.2.gz) by its magic bytes', async () => {
    const f = join(tmp, 'kern.log.2.gz');
    writeFileSync(f, gzipSync('a\nb\n'));
    expect(await lines(f)).toEqual(['a', 'b']);
  });

  it('names the file and the reason when it cannot be read', async () => {
    const missing = join(tmp, 'missing.log');
    expect(await failure(missing)).toBe(`${missing}: no such file`);
    expect(await failure(tmp)).toBe(`${tmp}: is a directory, not a file`);
    const bin = join(tmp, 'core');
    writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x00]));
    expect(await failure(bin)).toBe(`${bin}: not text (a NUL byte at byte 6)`);
    const badGz = join(tmp, 'bad.gz');
    writeFileSync(badGz, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03]));
    expect(await failure(badGz)).toMatch(new RegExp(`^${badGz}: `));
    expect(await failure('-', Readable.from([Buffer.from([0x41, 0x00])]))).toBe(
      'standard input: not text (a NUL byte at byte 2)',
    );
  });

  it('keeps the head of an overlong line and goes on with the next line', async () => {
    const f = join(tmp, 'long.log');
    writeFileSync(f, `${'x'.repeat(MAX_LINE_CHARS * 3)}\nnext\n`);
    const got = await lines(f);
    expect(got.map((l) => l.length)).toEqual([MAX_LINE_CHARS, 4]);
    expect(got[1]).toBe('next');
  });

  it('an empty input has no lines', async () => {
    const f = join(tmp, 'empty.log');
    writeFileSync(f, '');
    expect(await lines(f)).toEqual([]);
  });
});
