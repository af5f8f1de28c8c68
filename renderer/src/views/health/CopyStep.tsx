/**
 * One step of an advice as code the operator can copy: the text as it came (escaped where
 * invisible characters hid in it: a copied command must be the command shown), and a Copy button.
 */
import { useState } from 'react';

export function CopyStep({ step }: { step: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard
      ?.writeText(step)
      .then(() => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      })
      .catch(() => setCopied(false));
  };
  return (
    <li className="health-step">
      <code>{step}</code>
      <button type="button" className="mini-button" onClick={copy} aria-label={`Copy: ${step}`}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </li>
  );
}
