import { Command } from 'commander';
import { describe, expect, it } from 'vitest';

import { parseCaptureDuration, registerProfileCapture } from './profileCapture.js';

describe('osprey profile capture: arguments', () => {
  it.each([
    ['10s', 10],
    ['10', 10],
    ['1m', 60],
    ['60s', 60],
    ['1s', 1],
  ])('--duration %s is %d s', (text, seconds) => {
    expect(parseCaptureDuration(text)).toBe(seconds);
  });

  it.each(['61s', '2m', '0s', '1.5s', 'ten', '-3'])('--duration %s is refused', (text) => {
    expect(() => parseCaptureDuration(text)).toThrow('is not a duration of 1 to 60 whole seconds');
  });

  it('needs --pid and -o; the duration defaults to 10 s', () => {
    const program = new Command('osprey').exitOverride();
    const profile = program.command('profile').exitOverride();
    let seen: unknown;
    registerProfileCapture(profile, () => {});
    profile.commands[0]!.exitOverride().configureOutput({ writeErr: () => {} });
    profile.commands[0]!.action((opts: unknown) => void (seen = opts));
    program.parse(['node', 'osprey', 'profile', 'capture', '--pid', '42', '-o', '/tmp/x']);
    expect(seen).toEqual({ pid: 42, duration: 10, output: '/tmp/x' });
    expect(() =>
      program.parse(['node', 'osprey', 'profile', 'capture', '--pid', 'x', '-o', '/tmp/x']),
    ).toThrow('"x" is not a process id');
    expect(() => program.parse(['node', 'osprey', 'profile', 'capture', '--pid', '42'])).toThrow(
      /required option '-o, --output <file>'/,
    );
  });
});
