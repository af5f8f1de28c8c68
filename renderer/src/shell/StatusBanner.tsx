/** A strip under the header while the connection is not live, saying why and what happens next. */
import { displayName } from '../lib/displayName.js';
import type { Presence } from '../sources/Source.js';

export function StatusBanner({ presence }: { presence: Presence }) {
  if (presence.state === 'live' || presence.state === 'error' || !presence.message) return null;
  return (
    <div className="banner banner-warning" role="status">
      {displayName(presence.message)}
    </div>
  );
}
