/**
 * New diagnoses of warning or worse, top right: severity, what happened, where and when, a link to
 * the incident in the Health view, and ×. Each hides after TOAST_MS unless the pointer rests on it.
 * Text from the wire is drawn as text (displayName), never as HTML.
 */
import { useEffect, useRef } from 'react';

import { SEVERITY_LABEL } from '../../../../collector/core/diagnosis/severity.js';
import { displayName } from '../../lib/displayName.js';
import { formatDateTime } from '../../lib/format.js';
import type { Notice } from './newNotices.js';
import './notices.css';

/** Long enough to read two lines and reach the link; the header's count stays after it goes. */
export const TOAST_MS = 12_000;

export interface ToastsProps {
  toasts: readonly Notice[];
  onDismiss: (id: string) => void;
  onOpen: (incident: string) => void;
}

export function Toasts({ toasts, onDismiss, onOpen }: ToastsProps) {
  return (
    <div className="toasts" role="region" aria-label="Notices" aria-live="polite">
      {toasts.map((t) => (
        <Toast key={t.id} notice={t} onDismiss={onDismiss} onOpen={onOpen} />
      ))}
    </div>
  );
}

function Toast({
  notice: t,
  onDismiss,
  onOpen,
}: {
  notice: Notice;
  onDismiss: (id: string) => void;
  onOpen: (incident: string) => void;
}) {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const start = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => onDismiss(t.id), TOAST_MS);
  };
  const stop = () => clearTimeout(timer.current);
  useEffect(() => {
    start();
    return stop;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one timer per toast
  }, []);
  return (
    <div
      className={`toast severity-${t.severity}`}
      role="status"
      data-testid="toast"
      data-severity={t.severity}
      onMouseEnter={stop}
      onMouseLeave={start}
    >
      <div className="toast-head">
        <span className="toast-severity">{SEVERITY_LABEL[t.severity]}</span>
        <span className="toast-when">{formatDateTime(t.ts).slice(11)}</span>
        <button
          type="button"
          className="toast-close"
          aria-label="Dismiss notice"
          onClick={() => onDismiss(t.id)}
        >
          ×
        </button>
      </div>
      <div className="toast-title">{displayName(t.title)}</div>
      <div className="toast-where">
        {displayName(t.device)} on {displayName(t.node)}
      </div>
      <button
        type="button"
        className="link-button toast-link"
        onClick={() => {
          onOpen(t.incident);
          onDismiss(t.id);
        }}
      >
        Show in Health
      </button>
    </div>
  );
}
