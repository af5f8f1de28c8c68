/**
 * The dialog's "Test Prometheus": asks `/api/v1/status/buildinfo` through the host with the
 * settings as typed, and says what answered ("Prometheus 2.42.0 (rev 225c61122d)") or why
 * nothing usable did, in the words of the host (no answer) or of the response parser (an error
 * envelope, a proxy's HTML page, a 401).
 */
import { parseBuildInfoResponse } from '../../../collector/core/prometheus/payloads.js';
import type { Platform, PrometheusTestInput } from '../platform/Platform.js';
import type { TestResult } from './testConnection.js';

export async function testPrometheus(
  platform: Pick<Platform, 'testPrometheus'>,
  input: PrometheusTestInput,
  signal?: AbortSignal,
): Promise<TestResult> {
  try {
    const answer = await platform.testPrometheus(input, signal);
    const { data } = parseBuildInfoResponse(answer);
    // Distribution builds put their package version there (Debian: "2.42.0+ds-"): show git only.
    const git = data.revision !== undefined && /^[0-9a-f]{7,40}$/.test(data.revision);
    const revision = git ? ` (rev ${data.revision!.slice(0, 10)})` : '';
    return { ok: true, message: `Prometheus ${data.version}${revision} at ${input.settings.url}` };
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    return { ok: false, message: (error as Error).message };
  }
}
