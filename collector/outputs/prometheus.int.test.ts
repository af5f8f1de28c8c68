import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { captureCells, REPLAY_H100 } from '../testing/fixtures.js';
import { freePort } from '../testing/freePort.js';
import { eventually, startServe, type Served } from '../testing/serveProcess.js';

interface PromVector {
  metric: Record<string, string>;
  value: [number, string];
}

describe('osprey serve scraped by a real Prometheus', () => {
  let served: Served;
  let prometheus: ChildProcess;
  let promUrl: string;
  let dir: string;
  const logs: string[] = [];

  beforeAll(async () => {
    served = await startServe([
      '--no-ui',
      '--interval',
      '500',
      '--node',
      'replay-h100',
      '--replay',
      `nvidia-smi=${REPLAY_H100}`,
    ]);
    dir = mkdtempSync(join(tmpdir(), 'osprey-prom-'));
    const target = new URL(served.url).host;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: osprey\n    static_configs:\n      - targets: ['${target}']\n`,
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn('prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    prometheus.stderr!.setEncoding('utf8').on('data', (d: string) => logs.push(d));
  });

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await served?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function query(q: string): Promise<PromVector[]> {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await res.json()) as { status: string; data: { result: PromVector[] } };
    if (body.status !== 'success') throw new Error(`query ${q} failed: ${JSON.stringify(body)}`);
    return body.data.result;
  }

  it('passes promtool check metrics', async () => {
    const text = await (await fetch(`${served.url}/metrics`)).text();
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('stores the replayed GPU values under the canonical names, in base units', async () => {
    const cells = captureCells(REPLAY_H100);
    const util = await eventually(async () => {
      const r = await query('osprey_device_utilization_ratio{node="replay-h100"}');
      if (r.length === 0)
        throw new Error(`no series yet; prometheus log:\n${logs.join('').slice(-2000)}`);
      return r;
    }, 30_000);
    expect(util[0]!.metric).toMatchObject({
      vendor: 'nvidia',
      index: '0',
      model: 'NVIDIA H100 80GB HBM3',
      uuid: cells.get('uuid'),
    });
    expect(Number(util[0]!.value[1])).toBe(
      Number.parseFloat(cells.get('utilization.gpu [%]')!) / 100,
    );
    const used = await query('osprey_device_memory_used_bytes{node="replay-h100"}');
    expect(Number(used[0]!.value[1])).toBe(
      Number.parseFloat(cells.get('memory.used [MiB]')!) * 1024 * 1024,
    );
    const temp = await query('osprey_device_temperature_celsius{node="replay-h100"}');
    expect(Number(temp[0]!.value[1])).toBe(Number(cells.get('temperature.gpu')));
  });

  it('leaves unsupported values out rather than storing zero', async () => {
    expect(captureCells(REPLAY_H100).get('fan.speed [%]')).toBe('[N/A]');
    expect(await query('osprey_device_fan_speed_ratio{node="replay-h100"}')).toEqual([]);
  });

  it('keeps host metrics flowing', async () => {
    const cpu = await eventually(async () => {
      const r = await query('osprey_host_cpu_utilization_ratio{node="replay-h100"}');
      if (r.length === 0) throw new Error('no host CPU series');
      return r;
    });
    const v = Number(cpu[0]!.value[1]);
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(1);
  });
});
