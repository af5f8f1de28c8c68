import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lints made-up files at real paths with the project's own config, so a broken zone shows here.
const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function problems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return result!.messages.map((m) => m.message);
}

describe('import arrows', () => {
  it('keeps collector/core a leaf', async () => {
    const out = await problems(
      'collector/core/protocol/x.ts',
      "import type { Probe } from '../../probes/types.js';\nimport { METRICS } from '../catalog.js';\nexport const x: [Probe?, unknown?] = [undefined, METRICS];\n",
    );
    expect(out).toEqual([expect.stringContaining('collector/core is the leaf')]);
  });

  it('keeps the renderer on collector/core and the preload API types', async () => {
    const out = await problems(
      'renderer/src/x.ts',
      "import { METRICS } from '../../collector/core/catalog.js';\nimport type { OspreyDesktopApi } from '../../electron/common/api.js';\nimport { Collector } from '../../collector/agent/Collector.js';\nimport { buildCsp } from '../../electron/main/csp.js';\nexport const x: [unknown, OspreyDesktopApi?, unknown, unknown] = [METRICS, undefined, Collector, buildCsp];\n",
    );
    expect(out).toEqual([
      expect.stringContaining('The renderer may use collector/core only'),
      expect.stringContaining('only through the preload API types'),
    ]);
  });

  it('keeps Node out of core and the renderer, and default exports out everywhere', async () => {
    expect(
      await problems(
        'collector/core/y.ts',
        "import { readFileSync } from 'node:fs';\nexport const y = readFileSync;\n",
      ),
    ).toEqual([expect.stringContaining('no Node APIs')]);
    expect(await problems('collector/agent/z.ts', 'export default 1;\n')).toEqual([
      'Use named exports.',
    ]);
  });
});
