/**
 * "Copy link": this page's address (connection, tab, filters, drawer) without the access token.
 * A link is for a colleague, who opens it with their own token (`osprey serve` prints it).
 */
import { useEffect, useState } from 'react';

import { shareableLink } from './location.js';

/** How long the button says what happened before it reads "Copy link" again. */
const FEEDBACK_MS = 2000;

export function CopyLinkButton() {
  const [state, setState] = useState<{ text: string; link: string } | undefined>();
  useEffect(() => {
    if (!state) return;
    const timer = setTimeout(() => setState(undefined), FEEDBACK_MS);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = () => {
    const link = shareableLink();
    // The clipboard needs a secure context (https or localhost); elsewhere the link is shown.
    const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard;
    if (!clipboard) {
      setState({ text: 'Copy failed', link });
      return;
    }
    clipboard.writeText(link).then(
      () => setState({ text: 'Link copied', link }),
      () => setState({ text: 'Copy failed', link }),
    );
  };
  return (
    <button
      type="button"
      className="button copy-link"
      data-testid="copy-link"
      data-link={state?.link}
      onClick={copy}
      title={
        state?.text === 'Copy failed'
          ? `The browser refused the clipboard; the link is: ${state.link}`
          : 'Copy a link to this view: connection, tab, filters and device. It leaves out your access token: whoever opens it adds their own (#token=… from "osprey serve").'
      }
    >
      {state?.text ?? 'Copy link'}
    </button>
  );
}
