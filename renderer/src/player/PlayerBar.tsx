/**
 * The player's controls: play/pause, the scrub bar with the recording's events marked on it, the
 * current recording time, speed and loop. Everything shown comes from preparePlayerBar.ts; event
 * texts are rendered as text (React escapes them), never as HTML.
 */
import type { Player } from './Player.js';
import { preparePlayerBar, timeAt } from './preparePlayerBar.js';
import { usePlayerKeys, usePlayerStatus } from './usePlayer.js';
import './player.css';

const ACTION_TEXT = { play: '▶', pause: '❚❚', replay: '↺' } as const;
const ACTION_LABEL = { play: 'Play', pause: 'Pause', replay: 'Play again from the start' } as const;

export function PlayerBar({ player, keyboard = true }: { player: Player; keyboard?: boolean }) {
  const status = usePlayerStatus(player);
  usePlayerKeys(keyboard ? player : undefined);
  const m = preparePlayerBar(status);
  const range = status.range;
  // A refused or failed seek shows in the player's status.
  const seek = (t: number) => void player.seek(t).catch(() => undefined);
  return (
    <div className="player-bar" role="group" aria-label="Playback">
      <button
        type="button"
        className="time-button player-play"
        disabled={!m.enabled}
        onClick={() => player.togglePlay()}
        aria-label={ACTION_LABEL[m.action]}
        title={`${ACTION_LABEL[m.action]} (space)`}
      >
        {ACTION_TEXT[m.action]}
      </button>
      <span className="player-time" title={m.title}>
        {m.timeLabel}
      </span>
      <div className="player-track">
        <div className="player-marks">
          {range
            ? m.marks.map((b) => (
                <span
                  key={b.time}
                  className={`player-mark severity-${b.severity}`}
                  style={{ left: `${b.at * 100}%` }}
                  title={b.title}
                  onClick={() => seek(b.time)}
                  aria-hidden="true"
                />
              ))
            : null}
        </div>
        <input
          type="range"
          className="player-scrub"
          aria-label="Recording time"
          aria-valuetext={m.timeLabel}
          min={0}
          max={m.max}
          step={100}
          value={m.value}
          disabled={!m.enabled}
          onChange={(e) => {
            if (range) seek(timeAt(Number(e.target.value) / Math.max(1, m.max), range));
          }}
        />
      </div>
      <span className="player-elapsed">{m.elapsedLabel}</span>
      <select
        aria-label="Speed"
        className="time-select"
        value={m.speed}
        disabled={!m.enabled}
        title="Speed ([ slower, ] faster)"
        onChange={(e) => player.setSpeed(Number(e.target.value))}
      >
        {m.speeds.some((s) => s.value === m.speed) ? null : (
          <option value={m.speed}>{m.speed}×</option>
        )}
        {m.speeds.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        className={`time-button${m.loop ? ' primary' : ''}`}
        aria-pressed={m.loop}
        disabled={!m.enabled}
        onClick={() => player.setLoop(!m.loop)}
        title="Loop: start again at the end"
      >
        Loop
      </button>
      {m.marksNote ? <span className="player-note">{m.marksNote}</span> : null}
      {m.behind ? (
        <span className="player-behind" role="status">
          {m.behind}
        </span>
      ) : null}
      {m.stateText ? (
        <span
          className={status.state === 'error' ? 'player-error' : 'player-note'}
          role={status.state === 'error' ? 'alert' : 'status'}
        >
          {m.stateText}
        </span>
      ) : null}
    </div>
  );
}
