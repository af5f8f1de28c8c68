/**
 * What a recording's page shows, from the player's status and the source's capabilities: the
 * header's title, which tabs and whether the player bar, the truncation warning, or why the file
 * could not be opened.
 */
import { preparePlayerBar, type FormatOptions } from '../player/preparePlayerBar.js';
import type { PlayerStatus } from '../player/playerTypes.js';
import { viewsFor, type ViewId } from '../shell/views/viewsFor.js';
import type { SourceCapabilities } from '../sources/SourceFactory.js';

export interface RecordingPageModel {
  /** "Recording of gpu-a, 2 Dec 14:00:00 – 14:20:00"; "Recording" until the file is open. */
  title: string;
  /** The views offered (viewsFor): Latency only where the source has `history`. */
  views: ViewId[];
  /** The player bar: only where the source can `seek`, once the recording is open. */
  showPlayer: boolean;
  /** 'opening' until the first frame; 'failed' when the file could not be opened at all. */
  phase: 'opening' | 'failed' | 'open';
  /** Why it could not be opened. */
  error: string | undefined;
  /** The recording's truncation, e.g. "… 12 % of the file after the last complete chunk lost". */
  truncation: string | undefined;
}

export function prepareRecordingPage(
  status: PlayerStatus,
  capabilities: SourceCapabilities,
  options: FormatOptions = {},
): RecordingPageModel {
  const opened = status.range !== undefined;
  return {
    title: preparePlayerBar(status, options).title,
    views: viewsFor(capabilities),
    showPlayer: capabilities.seek && opened,
    phase: opened ? 'open' : status.state === 'initializing' ? 'opening' : 'failed',
    error: opened ? undefined : status.error,
    truncation: status.problems.find((p) => p.key === 'snapshot:truncated')?.message,
  };
}
