import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { parseCpuModel } from './cpuModel.js';
import { hostInfo, parseOsRelease, readHostInfo, type HostFacts } from './hostInfo.js';

const cpuinfo = readFileSync(new URL('./fixtures/proc-cpuinfo.txt', import.meta.url), 'utf8');

const facts: HostFacts = {
  hostname: 'gpu-01',
  osType: 'Linux',
  machine: 'x86_64',
  release: '6.18.44-fc-v595',
  logicalCpus: 2,
  totalMemBytes: 25276514304,
};

describe('parseCpuModel', () => {
  it('reads "model name" from the real x86 capture', () => {
    expect(parseCpuModel(cpuinfo)).toBe('AMD EPYC');
  });

  it.each([
    ['0x48', '0xd01', 'HiSilicon Kunpeng-920'],
    ['0x41', '0xd4f', 'ARM Neoverse-V2'],
    ['0x41', '0xd99', 'ARM part 0xd99'],
    ['0x99', '0xd01', 'ARM implementer 0x99 part 0xd01'],
  ])('names arm64 implementer %s part %s as %s', (implementer, part, model) => {
    const text = `processor\t: 0\nBogoMIPS\t: 200.00\nCPU implementer\t: ${implementer}\nCPU part\t: ${part}\n\nprocessor\t: 1\n`;
    expect(parseCpuModel(text)).toBe(model);
  });

  it('gives nothing for text without a model', () => {
    expect(parseCpuModel('processor\t: 0\n')).toBeUndefined();
  });

  // Found by parsers.fuzz.test.ts: these looked the names up on Object.prototype and threw.
  it.each([
    ['constructor', '0xd0c', 'ARM implementer constructor part 0xd0c'],
    ['__proto__', 'tostring', 'ARM implementer __proto__ part tostring'],
    ['0x41', 'constructor', 'ARM part constructor'],
  ])('names prototype keys as unknown: implementer %s part %s', (implementer, part, model) => {
    const text = `CPU implementer\t: ${implementer}\nCPU part\t: ${part}\n`;
    expect(parseCpuModel(text)).toBe(model);
  });
});

describe('hostInfo', () => {
  it('prefers the distribution name and leaves unknown fields out', () => {
    expect(
      hostInfo({
        ...facts,
        cpuinfo,
        osRelease: 'NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
      }),
    ).toEqual({
      hostname: 'gpu-01',
      os: 'Debian GNU/Linux 12 (bookworm)',
      arch: 'x86_64',
      kernel: '6.18.44-fc-v595',
      cpuModel: 'AMD EPYC',
      cpuCores: 2,
      memoryTotalBytes: 25276514304,
    });
    expect(hostInfo({ ...facts, hostname: ' ', release: '' })).toEqual({
      hostname: 'unknown',
      os: 'Linux',
      arch: 'x86_64',
      cpuCores: 2,
      memoryTotalBytes: 25276514304,
    });
  });

  it('parses PRETTY_NAME with or without quotes', () => {
    expect(parseOsRelease("PRETTY_NAME='Ubuntu 22.04.4 LTS'")).toBe('Ubuntu 22.04.4 LTS');
    expect(parseOsRelease('PRETTY_NAME=openEuler 22.03')).toBe('openEuler 22.03');
    expect(parseOsRelease('NAME=x')).toBeUndefined();
  });

  it('readHostInfo survives unreadable files', async () => {
    const info = await readHostInfo({ readFile: async () => Promise.reject(new Error('nope')) });
    expect(info.cpuModel).toBeUndefined();
    expect(info.cpuCores).toBeGreaterThan(0);
    expect(info.hostname.length).toBeGreaterThan(0);
  });
});
