/** The /api handler `osprey serve` mounts beside the web console. */
import { defaultConfigDir } from '../../hostServices/connectionFile.js';
import { openHostServices } from '../../hostServices/openHostServices.js';
import type { ProfileCapturer } from '../../profiling/ProfileCapturer.js';
import { createConnectionsApi, type ApiHandler } from './connectionsApi.js';
import { createProfileApi, PROFILE_PATH } from './profileApi.js';

export function createConsoleApi(
  configDir: string | undefined,
  token: string,
  capturer?: ProfileCapturer,
): ApiHandler {
  // Secrets are plain text in the 0600 file: a headless server has no keyring to seal them with
  // (the desktop app encrypts them with safeStorage). Entries of a hand-edited file that fail the
  // save checks: one stderr line each, once.
  const host = openHostServices({
    dir: configDir ?? defaultConfigDir(),
    log: (line) => console.error(line),
    ...(capturer ? { capturer } : {}),
  });
  // Read once at start, so a bad hand edit is on stderr before anyone opens the console; a file
  // that cannot be read at all is named here too (and again by every API call until fixed).
  void host
    .problems()
    .catch((error: unknown) => console.error(`connections: ${(error as Error).message}`));
  const connections = createConnectionsApi(host.services, token);
  const profile = createProfileApi(host.services, token);
  return (req, res) =>
    (req.url ?? '/').split('?')[0] === PROFILE_PATH ? profile(req, res) : connections(req, res);
}
