/**
 * The browser half of `npm run bench:ingest`, one page per mode (?mode=…&ws=…&cluster=…):
 *   osprey   the console's real path: NatsSource (wsconnect, decode, frame batching) → LiveStore
 *            → the cluster tabs with the fleet heatmap, recording publish→pixel per node from the
 *            heatmap's `osprey:frame` events;
 *   bare     the ceiling: wsconnect and JSON.parse only (plus counting), recording publish→receive;
 *   echarts  an ECharts heatmap of 512 × 8 cells, timing setOption, for the canvas decision.
 * Every mode counts main-thread long tasks. Results live on window.bench for the runner to read.
 */
import { wsconnect } from '@nats-io/nats-core';
import { createRoot } from 'react-dom/client';

import { sampleCount } from '../../../collector/core/protocol/grids.js';
import type { MetricsMessage } from '../../../collector/core/protocol/spec.js';
import { BenchConsole } from './BenchConsole.js';
import { benchState } from './benchState.js';
import { runEchartsProbe } from './echartsProbe.js';
import '../../../renderer/src/shell/theme.css';

const params = new URLSearchParams(location.search);
const mode = params.get('mode') ?? 'osprey';
const ws = params.get('ws') ?? '';
const cluster = params.get('cluster') ?? 'sim';
const bench = benchState();

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) bench.longTasks.push([entry.startTime, entry.duration]);
}).observe({ type: 'longtask', buffered: true });

if (mode === 'bare') {
  const decoder = new TextDecoder();
  const nc = await wsconnect({ servers: [ws], name: 'bench-bare' });
  nc.subscribe(`osprey.v1.*.${cluster}.*`, {
    callback: (_err, msg) => {
      const m = JSON.parse(decoder.decode(msg.data)) as MetricsMessage | { type: 'inventory' };
      bench.messages += 1;
      if (m.type !== 'metrics') return;
      bench.samples += sampleCount(m);
      bench.latencies.push([performance.now(), Date.now() - m.ts]);
    },
  });
  bench.ready = true;
  document.getElementById('root')!.textContent = 'bare wsconnect subscriber';
} else if (mode === 'echarts') {
  bench.echarts = await runEchartsProbe(document.getElementById('root')!);
  bench.ready = true;
} else {
  createRoot(document.getElementById('root')!).render(<BenchConsole ws={ws} cluster={cluster} />);
}
