import { it } from 'vitest';
import { Simulator } from './Simulator.js';
import { decodeMessage } from '../core/protocol/decode.js';

it('perf', () => {
  const t0 = performance.now();
  const sim = new Simulator({ clusters: 1, nodes: 512, devicesPerNode: 8, seed: 1, intervalMs: 500 });
  console.log('build ms', performance.now() - t0);
  let bytes = 0, msgs = 0, samples = 0;
  const enc = new TextEncoder();
  const t1 = performance.now();
  for (let k = 0; k < 40; k++) {
    const out = sim.tick(1_700_000_000_000 + k * 500);
    for (const o of out) { const b = enc.encode(o.body); bytes += b.length; msgs++; if (o.type==='metrics') samples += o.count; }
  }
  const dt = performance.now() - t1;
  console.log('40 ticks ms', dt, 'per tick', dt / 40, 'msgs', msgs, 'bytes/msg', bytes / msgs, 'samples', samples);
  const out = sim.tick(1);
  const r = decodeMessage(out.find(o => o.type==='metrics')!.body);
  console.log(JSON.stringify(r).slice(0, 1500));
});
