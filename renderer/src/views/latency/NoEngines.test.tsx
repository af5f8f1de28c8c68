import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

import { discover } from '../../../../collector/core/prometheus/discovery.js';
import { NoEngines } from './NoEngines.js';

describe('NoEngines', () => {
  it('names every flavour it looked for and the prefixes the server holds, counted', () => {
    const names = [
      ...Array.from({ length: 12 }, (_, i) => `lmdeploy_metric_${i}`),
      'DCGM_FI_DEV_GPU_UTIL',
      'DCGM_FI_DEV_FB_USED',
      'up',
    ];
    const html = renderToStaticMarkup(<NoEngines discovery={discover(names)} />);
    for (const text of [
      'vLLM (vllm:…)',
      'vLLM (Ray Serve) (ray_vllm:…)',
      'NIM (time_to_first_token_seconds_bucket + num_requests_running)',
      'SGLang (sglang:…)',
      'TGI (tgi_queue_size, tgi_batch_current_size, tgi_request_duration_bucket)',
      'Found: lmdeploy_ ×12, DCGM_ ×2, up ×1 (known families: dcgm).',
    ])
      expect(html).toContain(text);
  });
});
