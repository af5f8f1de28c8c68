import { describe, expect, it } from 'vitest';

import { captureOverHttp } from './profileClient.js';

/** A fetch answering with NDJSON lines delivered in uneven chunks. */
function ndjson(lines: object[], status = 200) {
  const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(text);
        for (let at = 0; at < bytes.length; at += 7) controller.enqueue(bytes.subarray(at, at + 7));
        controller.close();
      },
    });
    return new Response(body, { status, headers: { 'content-type': 'application/x-ndjson' } });
  }) as unknown as typeof fetch;
  return { fetchImpl, calls };
}

describe('captureOverHttp', () => {
  it('posts the request with the token, reports each progress line and resolves with the profile', async () => {
    const profile = { tool: 'perf', format: 'perf-script', text: 'x', pid: 7 };
    const { fetchImpl, calls } = ndjson([
      { type: 'progress', elapsedS: 0, durationS: 2, phase: 'recording' },
      { type: 'progress', elapsedS: 1, durationS: 2, phase: 'recording' },
      { type: 'result', profile },
    ]);
    const seen: number[] = [];
    const result = await captureOverHttp(
      'http://127.0.0.1:7420/',
      'tok',
      { pid: 7, durationS: 2 },
      { onProgress: (p) => seen.push(p.elapsedS) },
      fetchImpl,
    );
    expect(result).toEqual(profile);
    expect(seen).toEqual([0, 1]);
    expect(calls[0]!.url).toBe('http://127.0.0.1:7420/api/profile');
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer tok');
    expect(calls[0]!.init.body).toBe('{"pid":7,"durationS":2}');
  });

  it("rejects with the collector's kind and message", async () => {
    const { fetchImpl } = ndjson([
      {
        type: 'error',
        kind: 'busy',
        error: 'already profiling pid 7 on box (started 3 s ago): wait for it or cancel it',
      },
    ]);
    await expect(
      captureOverHttp('http://h', 't', { pid: 7, durationS: 2 }, {}, fetchImpl),
    ).rejects.toMatchObject({
      kind: 'busy',
      message: 'already profiling pid 7 on box (started 3 s ago): wait for it or cancel it',
    });
  });

  it('a 400 is the request refused, with its message', async () => {
    const fetchImpl = (async () =>
      new Response(
        JSON.stringify({ error: 'durationS must be whole seconds from 1 to 60, got 61' }),
        {
          status: 400,
          headers: { 'content-type': 'application/json' },
        },
      )) as unknown as typeof fetch;
    await expect(
      captureOverHttp('http://h', 't', { pid: 7, durationS: 2 }, {}, fetchImpl),
    ).rejects.toMatchObject({
      kind: 'invalid',
      message: 'durationS must be whole seconds from 1 to 60, got 61',
    });
  });
});
