import { describe, expect, it } from 'vitest';
import {
  applyPlayerCommand,
  isTextField,
  playerKeyCommand,
  type PlayerCommand,
  type PlayerControls,
} from './playerKeys.js';

describe('playerKeyCommand', () => {
  const cases: [string, { key: string; shiftKey?: boolean }, PlayerCommand][] = [
    ['space plays or pauses', { key: ' ' }, { kind: 'togglePlay' }],
    ['← steps back', { key: 'ArrowLeft' }, { kind: 'step', direction: -1 }],
    ['→ steps forward', { key: 'ArrowRight' }, { kind: 'step', direction: 1 }],
    [
      'shift+← seeks 10 s back',
      { key: 'ArrowLeft', shiftKey: true },
      { kind: 'seekBy', ms: -10_000 },
    ],
    [
      'shift+→ seeks 10 s on',
      { key: 'ArrowRight', shiftKey: true },
      { kind: 'seekBy', ms: 10_000 },
    ],
    ['Home goes to the start', { key: 'Home' }, { kind: 'seekTo', to: 'start' }],
    ['End goes to the end', { key: 'End' }, { kind: 'seekTo', to: 'end' }],
    ['[ is slower', { key: '[' }, { kind: 'speed', direction: -1 }],
    ['] is faster', { key: ']' }, { kind: 'speed', direction: 1 }],
  ];
  for (const [name, press, command] of cases) {
    it(name, () => expect(playerKeyCommand(press)).toEqual(command));
  }

  it('leaves presses with Ctrl, Alt or Meta, and presses in text fields, alone', () => {
    expect(playerKeyCommand({ key: 'ArrowLeft', ctrlKey: true })).toBeUndefined();
    expect(playerKeyCommand({ key: 'ArrowLeft', altKey: true })).toBeUndefined();
    expect(playerKeyCommand({ key: ' ', metaKey: true })).toBeUndefined();
    expect(playerKeyCommand({ key: ' ', inTextField: true })).toBeUndefined();
  });

  it('ignores other keys', () => {
    expect(playerKeyCommand({ key: 'a' })).toBeUndefined();
    expect(playerKeyCommand({ key: 'ArrowUp' })).toBeUndefined();
  });
});

describe('applyPlayerCommand', () => {
  function fake(speed = 1) {
    const calls: string[] = [];
    const done = Promise.resolve();
    const player: PlayerControls = {
      status: { speed, range: { start: 100, end: 900 } },
      togglePlay: () => calls.push('toggle'),
      stepForward: () => calls.push('stepForward'),
      stepBack: () => (calls.push('stepBack'), done),
      seek: (t) => (calls.push(`seek ${t}`), done),
      seekBy: (ms) => (calls.push(`seekBy ${ms}`), done),
      setSpeed: (s) => calls.push(`speed ${s}`),
    };
    return { player, calls };
  }

  it('runs each command on the player', async () => {
    const { player, calls } = fake(2);
    applyPlayerCommand(player, { kind: 'togglePlay' });
    applyPlayerCommand(player, { kind: 'step', direction: 1 });
    await applyPlayerCommand(player, { kind: 'step', direction: -1 });
    await applyPlayerCommand(player, { kind: 'seekBy', ms: -10_000 });
    await applyPlayerCommand(player, { kind: 'seekTo', to: 'start' });
    await applyPlayerCommand(player, { kind: 'seekTo', to: 'end' });
    applyPlayerCommand(player, { kind: 'speed', direction: 1 });
    applyPlayerCommand(player, { kind: 'speed', direction: -1 });
    expect(calls).toEqual([
      'toggle',
      'stepForward',
      'stepBack',
      'seekBy -10000',
      'seek 100',
      'seek 900',
      'speed 4',
      'speed 1',
    ]);
  });
});

describe('isTextField', () => {
  it('is true for inputs, text areas, selects and editable elements only', () => {
    expect(isTextField({ tagName: 'INPUT' } as unknown as EventTarget)).toBe(true);
    expect(isTextField({ tagName: 'TEXTAREA' } as unknown as EventTarget)).toBe(true);
    expect(isTextField({ tagName: 'SELECT' } as unknown as EventTarget)).toBe(true);
    expect(isTextField({ tagName: 'DIV', isContentEditable: true } as unknown as EventTarget)).toBe(
      true,
    );
    expect(isTextField({ tagName: 'BUTTON' } as unknown as EventTarget)).toBe(false);
    expect(isTextField(null)).toBe(false);
  });
});
