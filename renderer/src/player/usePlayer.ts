/** React bindings of a Player: its status, and its keyboard shortcuts on the window. */
import { useCallback, useEffect, useSyncExternalStore } from 'react';

import type { Player } from './Player.js';
import type { PlayerStatus } from './playerTypes.js';
import { applyPlayerCommand, isTextField, playerKeyCommand } from './playerKeys.js';

export function usePlayerStatus(player: Player): PlayerStatus {
  const subscribe = useCallback((notify: () => void) => player.subscribeStatus(notify), [player]);
  const snapshot = useCallback(() => player.status, [player]);
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

/** Space, arrows, Home/End and [ ] drive `player` while it is mounted (playerKeys.ts). */
export function usePlayerKeys(player: Player | undefined): void {
  useEffect(() => {
    if (!player) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !player.status.range) return;
      const command = playerKeyCommand({
        key: e.key,
        shiftKey: e.shiftKey,
        ctrlKey: e.ctrlKey,
        altKey: e.altKey,
        metaKey: e.metaKey,
        inTextField: isTextField(e.target),
      });
      if (!command) return;
      // Space would also scroll the page or press the focused button a second time.
      e.preventDefault();
      // A refused or failed seek is shown in the player's status; nothing to add here.
      applyPlayerCommand(player, command)?.catch(() => undefined);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [player]);
}
