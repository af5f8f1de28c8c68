/** A strip under the header when the connection is not live, saying why and what happens next. */
import type { Presence } from '../sources/Source.js';

export function StatusBanner({ presence }: { presence: Presence }) {
  if (presence.state === 'live' || !presence.message) return null;
  const tone = presence.state === 'error' ? 'error' : 'warning';
  return (
    <div className={`banner banner-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {presence.message}
      {presence.state === 'error' && presence.message.startsWith('unauthorized') ? (
        <span className="banner-hint">
          {' '}
          — open the exact URL that <code>osprey serve</code> printed; it carries the current token.
        </span>
      ) : null}
    </div>
  );
}
