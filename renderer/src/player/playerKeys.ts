/**
 * Keyboard shortcuts of the player, as a pure mapping from a key press to a command (the shell
 * listens and applies it): space play/pause, ←/→ step, shift+←/→ ±10 s, Home/End, `[` `]` slower
 * and faster along the speed ladder. Presses with Ctrl, Alt or Meta are left to the browser and the
 * OS (Ctrl+← moves by word in a text field, Alt+← goes back), and so is any press in a text field.
 */
import { stepSpeed } from './speeds.js';

export const SEEK_KEY_MS = 10_000;

export type PlayerCommand =
  | { kind: 'togglePlay' }
  | { kind: 'step'; direction: 1 | -1 }
  | { kind: 'seekBy'; ms: number }
  | { kind: 'seekTo'; to: 'start' | 'end' }
  | { kind: 'speed'; direction: 1 | -1 };

/** The parts of a KeyboardEvent the mapping reads. */
export interface KeyPress {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  /** The press went to an input, a textarea, a select or a contenteditable element. */
  inTextField?: boolean;
}

export function playerKeyCommand(press: KeyPress): PlayerCommand | undefined {
  if (press.ctrlKey || press.altKey || press.metaKey || press.inTextField) return undefined;
  switch (press.key) {
    case ' ':
      return { kind: 'togglePlay' };
    case 'ArrowLeft':
      return press.shiftKey
        ? { kind: 'seekBy', ms: -SEEK_KEY_MS }
        : { kind: 'step', direction: -1 };
    case 'ArrowRight':
      return press.shiftKey ? { kind: 'seekBy', ms: SEEK_KEY_MS } : { kind: 'step', direction: 1 };
    case 'Home':
      return { kind: 'seekTo', to: 'start' };
    case 'End':
      return { kind: 'seekTo', to: 'end' };
    case '[':
      return { kind: 'speed', direction: -1 };
    case ']':
      return { kind: 'speed', direction: 1 };
    default:
      return undefined;
  }
}

/** What a command needs of a player (Player implements it). */
export interface PlayerControls {
  readonly status: { speed: number; range: { start: number; end: number } | undefined };
  togglePlay(): void;
  stepForward(): void;
  stepBack(): Promise<void>;
  seek(time: number): Promise<void>;
  seekBy(ms: number): Promise<void>;
  setSpeed(speed: number): void;
}

/** Applies a command; returns the seek or step it started, if any, so a caller can await it. */
export function applyPlayerCommand(
  player: PlayerControls,
  command: PlayerCommand,
): Promise<void> | undefined {
  switch (command.kind) {
    case 'togglePlay':
      player.togglePlay();
      return undefined;
    case 'step':
      if (command.direction > 0) {
        player.stepForward();
        return undefined;
      }
      return player.stepBack();
    case 'seekBy':
      return player.seekBy(command.ms);
    case 'seekTo': {
      const range = player.status.range;
      if (!range) return undefined;
      return player.seek(command.to === 'start' ? range.start : range.end);
    }
    case 'speed':
      player.setSpeed(stepSpeed(player.status.speed, command.direction));
      return undefined;
  }
}

/** Whether a key event's target is somewhere typing happens (the shortcuts stay out of it). */
export function isTextField(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const el = target as HTMLElement;
  return (
    el.isContentEditable ||
    el.tagName === 'INPUT' ||
    el.tagName === 'TEXTAREA' ||
    el.tagName === 'SELECT'
  );
}
