import { describe, expect, it } from 'vitest';

import { describeProbe } from './describeProbe.js';

describe('describeProbe', () => {
  it('names a missing tool by the tool', () => {
    expect(
      describeProbe({ probe: 'ascend', state: 'absent', message: 'npu-smi not found', since: 0 }),
    ).toEqual({ name: 'npu-smi', detail: 'not found' });
  });

  it('keeps the probe name and message otherwise, or the bare state', () => {
    expect(
      describeProbe({
        probe: 'nvidia-smi',
        state: 'error',
        message: 'exited with code 15',
        since: 0,
      }),
    ).toEqual({ name: 'nvidia-smi', detail: 'exited with code 15' });
    expect(describeProbe({ probe: 'host', state: 'ok', since: 0 })).toEqual({
      name: 'host',
      detail: 'ok',
    });
  });
});
