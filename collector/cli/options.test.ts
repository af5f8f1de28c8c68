import { describe, expect, it } from 'vitest';

import { parseAllowHost, parseInterval, parsePort, parseReplay } from './options.js';

describe('CLI option parsing', () => {
  it('accepts good values', () => {
    expect(parsePort('0')).toBe(0);
    expect(parseInterval('500')).toBe(500);
    expect(parseReplay('nvidia-smi=a.csv')).toEqual([{ tool: 'nvidia-smi', file: 'a.csv' }]);
    expect(parseReplay('npu-smi=b=c.txt', [{ tool: 'nvidia-smi', file: 'a' }])).toHaveLength(2);
    expect(parseReplay('kmsg=dmesg.log')).toEqual([{ tool: 'kmsg', file: 'dmesg.log' }]);
  });

  it('rejects bad values naming them', () => {
    expect(() => parsePort('70000')).toThrow('"70000" is not a TCP port');
    expect(() => parseInterval('10')).toThrow(
      '"10" is not an interval in milliseconds (100–60000)',
    );
    expect(() => parseReplay('rocm-smi=x')).toThrow(
      'unknown tool "rocm-smi" (expected nvidia-smi, npu-smi or kmsg)',
    );
    expect(() => parseReplay('nvidia-smi')).toThrow('is not TOOL=FILE');
    expect(() => parseReplay('nvidia-smi=b', [{ tool: 'nvidia-smi', file: 'a' }])).toThrow(
      'replayed twice',
    );
  });

  it('collects --allow-host names, lower case, IPv6 in brackets, and refuses what is not a name', () => {
    expect(parseAllowHost('Console.Example.com', parseAllowHost('gpu-box'))).toEqual([
      'gpu-box',
      'console.example.com',
    ]);
    expect(parseAllowHost('10.0.0.5')).toEqual(['10.0.0.5']);
    expect(parseAllowHost('fd00::1')).toEqual(['[fd00::1]']);
    expect(parseAllowHost('[fd00::1]')).toEqual(['[fd00::1]']);
    expect(() => parseAllowHost('https://console.example')).toThrow('give the name alone');
    expect(() => parseAllowHost('console.example:8443')).toThrow('without a port');
    expect(() => parseAllowHost('cafe:8443')).toThrow('without a port');
    expect(() => parseAllowHost('*.example.com')).toThrow('wildcards are not accepted');
    expect(() => parseAllowHost('')).toThrow('"" is not a host name or IP address');
    expect(() => parseAllowHost('a b')).toThrow('"a b" is not a host name or IP address');
  });
});
