/**
 * One step of an advice: its words, and each command in it as code with a Copy button. The text
 * is as it came, invisible characters escaped (a copied command must be the command shown).
 */
import { useState } from 'react';

import type { StepPart } from './diagnosisView.js';

export function CopyStep({ parts }: { parts: readonly StepPart[] }) {
  return (
    <li className="health-step">
      {parts.map((p, k) =>
        p.code ? <CopyCode key={k} code={p.text} /> : <span key={k}>{p.text}</span>,
      )}
    </li>
  );
}

function CopyCode({ code }: { code: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard
      ?.writeText(code)
      .then(() => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      })
      .catch(() => setCopied(false));
  };
  return (
    <span className="step-command">
      <code>{code}</code>
      <button type="button" className="copy-button" onClick={copy} aria-label={`Copy ${code}`}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}
