import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lints made-up files at real paths with the project's own config (named explicitly, so a second
// config file cannot shadow it), so a broken or widened zone shows here.
const root = new URL('../..', import.meta.url).pathname;
const eslint = new ESLint({ cwd: root, overrideConfigFile: `${root}eslint.config.js` });

async function problems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

/** A module that imports `from` (value imports, all used) and exports them. */
function importing(...from: string[]): string {
  const lines = from.map((path, i) => `import * as m${i} from '${path}';`);
  return `${lines.join('\n')}\nexport const all = [${from.map((_, i) => `m${i}`).join(', ')}];\n`;
}

const crossing = (source: string, why: string) =>
  expect.stringMatching(
    new RegExp(
      `^boundaries/imports: "${source.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}" crosses a boundary: .*${why}`,
    ),
  );

describe('import arrows (allow-lists per zone)', () => {
  it('refuses the renderer the collector simulator, test helpers and Node services', async () => {
    const out = await problems(
      'renderer/src/views/x.ts',
      importing(
        '../../../collector/simulator/Simulator.js',
        '../../../collector/testing/freePort.js',
        '../../../collector/prometheusHttp/fetchPrometheus.js',
        '../../../collector/outputs/api/prometheusApi.js',
        '../../../electron/main/csp.js',
        '../../../e2e/support/hostile/names.js',
      ),
    );
    const why =
      'renderer/ may import only renderer/, collector/core/, electron/common/ \\(types\\)';
    expect(out).toEqual([
      crossing('../../../collector/simulator/Simulator.js', why),
      crossing('../../../collector/testing/freePort.js', why),
      crossing('../../../collector/prometheusHttp/fetchPrometheus.js', why),
      crossing('../../../collector/outputs/api/prometheusApi.js', why),
      crossing('../../../electron/main/csp.js', why),
      crossing('../../../e2e/support/hostile/names.js', why),
    ]);
  });

  it('catches a dynamic import and a re-export as well as an import', async () => {
    const out = await problems(
      'renderer/src/x.ts',
      "export { Simulator } from '../../collector/simulator/Simulator.js';\nexport * from '../../collector/testing/freePort.js';\nexport const later = () => import('../../collector/prometheusHttp/fetchPrometheus.js');\n",
    );
    expect(out).toEqual([
      crossing('../../collector/simulator/Simulator.js', 'renderer/ may import only'),
      crossing('../../collector/testing/freePort.js', 'renderer/ may import only'),
      crossing('../../collector/prometheusHttp/fetchPrometheus.js', 'renderer/ may import only'),
    ]);
  });

  it('lets the renderer use itself, collector/core and the preload API types', async () => {
    const out = await problems(
      'renderer/src/platform/x.ts',
      "import { METRICS } from '../../../collector/core/catalog.js';\nimport type { OspreyDesktopApi } from '../../../electron/common/api.js';\nimport { LiveStore } from '../store/LiveStore.js';\nexport const x: [unknown, OspreyDesktopApi?, unknown] = [METRICS, undefined, LiveStore];\n",
    );
    expect(out).toEqual([]);
  });

  it('lets the renderer take only types, not code, from electron/common', async () => {
    const out = await problems(
      'renderer/src/platform/x.ts',
      importing('../../../electron/common/api.js'),
    );
    expect(out).toEqual([crossing('../../../electron/common/api.js', 'Write `import type` here')]);
  });

  it('keeps testing helpers out of shipped renderer code but lets renderer tests use them', async () => {
    const helper = '../testing/syntheticFleet.js';
    expect(await problems('renderer/src/views/x.ts', importing(helper))).toEqual([
      crossing(helper, 'Testing helpers are for \\*.test.ts files'),
    ]);
    expect(await problems('renderer/src/views/x.test.ts', importing(helper))).toEqual([]);
    // A renderer test has no use for the collector's process helpers (nats-server, ports).
    expect(
      await problems(
        'renderer/src/views/x.test.ts',
        importing('../../../collector/testing/freePort.js'),
      ),
    ).toEqual([crossing('../../../collector/testing/freePort.js', 'renderer/ may import only')]);
  });

  it('keeps each view to itself: no view imports another, shared code and the shell registry may', async () => {
    expect(
      await problems(
        'renderer/src/views/fleet/x.ts',
        importing('../host/HostView.js', '../latency/LatencyView.js'),
      ),
    ).toEqual([
      crossing('../host/HostView.js', 'No view imports another view'),
      crossing('../latency/LatencyView.js', 'No view imports another view'),
    ]);
    expect(
      await problems(
        'renderer/src/views/fleet/x.ts',
        importing('./FleetView.js', '../../lib/devices.js', '../../store/LiveStore.js'),
      ),
    ).toEqual([]);
    expect(
      await problems(
        'renderer/src/shell/views/x.ts',
        importing('../../views/host/HostView.js', '../../views/fleet/FleetView.js'),
      ),
    ).toEqual([]);
  });

  it('keeps collector/core a leaf', async () => {
    const out = await problems(
      'collector/core/protocol/x.ts',
      importing(
        '../../../renderer/src/store/LiveStore.js',
        '../../probes/types.js',
        '../../testing/freePort.js',
        '../catalog.js',
      ),
    );
    const why = 'collector/core/ may import only collector/core/\\.';
    expect(out).toEqual([
      crossing('../../../renderer/src/store/LiveStore.js', why),
      crossing('../../probes/types.js', why),
      crossing('../../testing/freePort.js', why),
    ]);
  });

  it('keeps the collector off the desktop shell and the console', async () => {
    const out = await problems(
      'collector/outputs/x.ts',
      importing(
        '../../renderer/src/store/LiveStore.js',
        '../../electron/common/api.js',
        '../probes/types.js',
      ),
    );
    expect(out).toEqual([
      crossing('../../renderer/src/store/LiveStore.js', 'collector/ may import only collector/'),
      crossing('../../electron/common/api.js', 'collector/ may import only collector/'),
    ]);
  });

  it('lets electron main host the listed collector services and nothing else of the collector', async () => {
    const out = await problems(
      'electron/main/x.ts',
      importing(
        '../../collector/hostServices/HostServices.js',
        '../../collector/prometheusHttp/fetchPrometheus.js',
        '../../collector/core/catalog.js',
        '../common/api.js',
        '../../collector/outputs/api/prometheusApi.js',
        '../../collector/simulator/Simulator.js',
        '../../renderer/src/store/LiveStore.js',
        '../preload/index.js',
      ),
    );
    const why =
      'electron/main/ may import only electron/main/, electron/common/, collector/core/, collector/hostServices/\\.';
    expect(out).toEqual([
      crossing('../../collector/prometheusHttp/fetchPrometheus.js', why),
      crossing('../../collector/outputs/api/prometheusApi.js', why),
      crossing('../../collector/simulator/Simulator.js', why),
      crossing('../../renderer/src/store/LiveStore.js', why),
      crossing('../preload/index.js', why),
    ]);
  });

  it('keeps the sandboxed preload to itself and the types of electron/common', async () => {
    const out = await problems(
      'electron/preload/x.ts',
      "import type { OspreyDesktopApi } from '../common/api.js';\nimport { IPC_CHANNELS } from '../common/api.js';\nimport { buildCsp } from '../main/csp.js';\nimport { METRICS } from '../../collector/core/catalog.js';\nexport const x: [OspreyDesktopApi?, unknown, unknown, unknown] = [undefined, IPC_CHANNELS, buildCsp, METRICS];\n",
    );
    expect(out).toEqual([
      crossing('../common/api.js', 'Write `import type` here'),
      crossing('../main/csp.js', 'electron/preload/ may import only'),
      crossing('../../collector/core/catalog.js', 'electron/preload/ may import only'),
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
      'no-restricted-syntax: Use named exports.',
    ]);
  });
});
