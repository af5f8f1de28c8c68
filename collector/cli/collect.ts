import type { NodeSnapshot } from '../core/model.js';
import { metricDef } from '../core/catalog.js';
import { killRunningTools } from '../probes/systemRunner.js';
import { buildCollector } from './buildCollector.js';
import type { ReplaySpec } from './options.js';

export interface CollectOptions {
  once?: boolean;
  json?: boolean;
  interval: number;
  replay: ReplaySpec[];
}

export async function runCollect(opts: CollectOptions): Promise<number> {
  const collector = await buildCollector({
    intervalMs: opts.interval,
    replay: opts.replay,
    keepKernelPosition: false,
  });
  // Rates (CPU %, bytes/s) need two readings, and nvidia-smi's first row arrives after it starts:
  // the first document is printed after one interval.
  await collector.start();
  // A one-shot document should hold every probe's answer, so this waits for slow starts (the
  // server does not: serve.ts).
  await collector.whenProbesStarted();
  const print = (): void => {
    const snap = collector.snapshot();
    process.stdout.write(
      opts.json ? JSON.stringify(snap, null, opts.once ? 2 : 0) + '\n' : summary(snap),
    );
  };
  return new Promise<number>((resolve) => {
    const timer = setInterval(() => {
      print();
      if (opts.once) finish();
    }, opts.interval);
    const finish = (): void => {
      clearInterval(timer);
      killRunningTools();
      void collector.stop().then(() => resolve(0));
    };
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
  });
}

function summary(snap: NodeSnapshot): string {
  const lines = [
    `${snap.host.hostname} (${snap.host.os} ${snap.host.arch}) at ${new Date(snap.ts).toISOString()}`,
  ];
  for (const p of snap.probes)
    lines.push(`  probe ${p.probe}: ${p.state}${p.message ? ` — ${p.message}` : ''}`);
  for (const d of snap.devices)
    lines.push(
      `  device ${d.vendor} ${d.index}${d.chip === undefined ? '' : `/${d.chip}`}: ${d.name}`,
    );
  for (const s of snap.samples) {
    const unit = metricDef(s.m)?.unit ?? 'none';
    const where = [s.d, ...Object.values(s.l ?? {})].filter(Boolean).join(' ');
    const value =
      s.v === null
        ? `no data (${s.s ?? 'missing'}${s.raw ? `: ${s.raw}` : ''})`
        : unit === 'none'
          ? String(s.v)
          : `${s.v} ${unit}`;
    lines.push(`  ${s.m}${where ? ` [${where}]` : ''} = ${value}`);
  }
  return lines.join('\n') + '\n';
}
