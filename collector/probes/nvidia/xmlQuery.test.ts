import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { exited, FakeCommandRunner, ok } from '../FakeCommandRunner.js';
import { queryArgs } from './detect.js';
import { allHealthNames } from './healthFields.js';
import type { HealthRow } from './healthRow.js';
import { healthSignals } from './healthSignals.js';
import { HealthPoller, NVLINK_ARGS, XML_ARGS } from './HealthPoller.js';
import { createNvidiaReplayRunner } from './NvidiaReplayRunner.js';
import { parseXmlQuery, xmlHealthRow } from './xmlQuery.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const A10G = fixture('a10g.xml');
const A10G_EDITED = fixture('derived__a10g__replay-12_remap-pending.xml');
const A10G_UUID = 'GPU-9a9a6c50-2a47-2f51-a902-b82c3b127e94';

describe('parseXmlQuery on real -q -x outputs', () => {
  it('A10G (driver 515.105.01): replay counters 0, remapped rows 0/0, pending No, histogram max 192 banks', () => {
    const log = parseXmlQuery(A10G);
    expect(log.problem).toBeUndefined();
    expect(log.driver).toBe('515.105.01');
    expect(log.gpus).toHaveLength(1);
    const [gpu] = log.gpus;
    expect(gpu!.uuid).toBe(A10G_UUID);
    expect(gpu!.name).toBe('NVIDIA A10G');
    expect(gpu!.busId).toBe('00000000:00:1E.0');
    const v = (k: string): number | undefined => gpu!.values.get(k)?.v;
    expect([v('pcie.replay'), v('pcie.replay_rollover')]).toEqual([0, 0]);
    expect([v('remap.correctable'), v('remap.uncorrectable')]).toEqual([0, 0]);
    expect([v('remap.pending'), v('remap.failure')]).toEqual([0, 0]);
    expect(gpu!.values.get('remap.histogram.max')).toEqual({
      v: 192,
      text: '192 bank(s)',
      tag: 'row_remapper_histogram_max',
    });
    // Retired pages print N/A on Ampere: not present, never 0.
    expect(gpu!.values.has('retired.sbe')).toBe(false);
  });

  it('Tesla T4: retired pages 0 single-bit, 0 double-bit, none pending; remapped rows N/A', () => {
    const [gpu] = parseXmlQuery(fixture('tesla-t4.xml')).gpus;
    expect(gpu!.values.get('retired.sbe')?.v).toBe(0);
    expect(gpu!.values.get('retired.dbe')?.v).toBe(0);
    expect(gpu!.values.get('retired.pending')?.v).toBe(0);
    expect(gpu!.values.has('remap.pending')).toBe(false);
  });

  it('Tesla P4: replay counters N/A are absent', () => {
    const [gpu] = parseXmlQuery(fixture('tesla_p4.xml')).gpus;
    expect(gpu!.values.has('pcie.replay')).toBe(false);
    expect(gpu!.uuid).toBe('GPU-1b1ea7c7-1c4b-ed49-1c72-26c65f2dd207');
  });

  it('dual RTX A5000: two GPUs, each with its bus id', () => {
    const { gpus } = parseXmlQuery(fixture('dual_a5000-v13.xml'));
    expect(gpus.map((g) => g.busId)).toEqual(['00000000:81:00.0', '00000000:C1:00.0']);
    expect(gpus.every((g) => g.values.get('remap.histogram.max')?.v === 192)).toBe(true);
  });

  it('temperature limits as each file prints them: A10G, RTX 3090 and both dual A5000 95/98 °C, A100-SXM4-80GB 89/92, Tesla T4 93/96', () => {
    const limits = (name: string) => parseXmlQuery(fixture(name)).gpus.map((g) => g.temperature);
    expect(limits('a10g.xml')).toEqual([{ slowdown: 95, shutdown: 98 }]);
    expect(limits('3090-v13.xml')).toEqual([{ slowdown: 95, shutdown: 98 }]);
    expect(limits('dual_a5000-v13.xml')).toEqual([
      { slowdown: 95, shutdown: 98 },
      { slowdown: 95, shutdown: 98 },
    ]);
    expect(limits('a100-sxm4-v12.xml')).toEqual([{ slowdown: 89, shutdown: 92 }]);
    expect(limits('tesla-t4.xml')).toEqual([{ slowdown: 93, shutdown: 96 }]);
  });

  it('Tesla P4 prints N/A for both temperature limits: absent, never 0', () => {
    expect(parseXmlQuery(fixture('tesla_p4.xml')).gpus[0]!.temperature).toEqual({});
  });

  it('not XML, and XML that is not an nvidia-smi log, are problems', () => {
    expect(parseXmlQuery('<a>').problem).toMatch(/^not XML|no <nvidia_smi_log>/);
    expect(parseXmlQuery('<other/>').problem).toBe('no <nvidia_smi_log> element');
  });
});

describe('-q -x signals', () => {
  const T = 1_700_000_000_000;
  /** What the CSV query knew of the A10G: nothing of its health (an old driver's answer). */
  const csv: HealthRow = { id: A10G_UUID, index: 0, values: new Map() };

  it('A10G then its edited output: replay counter 0 → 12 and remap pending, with the XML lines', () => {
    const before = xmlHealthRow(parseXmlQuery(A10G).gpus[0]!, csv);
    const after = xmlHealthRow(parseXmlQuery(A10G_EDITED).gpus[0]!, csv);
    const signals = healthSignals({ row: after, t: T + 150_000 }, { row: before, t: T });
    expect(signals.map((s) => [s.kind, s.code, s.value, s.detail, s.evidence[0]!.text])).toEqual([
      ['pcie-link', 'replay', 12, { previous: 0, delta: 12 }, 'GPU 0: replay_counter = 12'],
      ['remap', 'pending', 1, undefined, 'GPU 0: remapped_row_pending = Yes'],
    ]);
  });

  it('remapping the CSV row already told is left out; replay counters are always taken', () => {
    const withRemap: HealthRow = {
      ...csv,
      values: new Map([['remap.pending', { name: 'remapped_rows.pending', raw: 'No', v: 0 }]]),
    };
    const row = xmlHealthRow(parseXmlQuery(A10G_EDITED).gpus[0]!, withRemap);
    expect(row.values.has('remap.pending')).toBe(false);
    expect(row.values.get('pcie.replay')?.v).toBe(12);
  });
});

describe('HealthPoller -q -x cadence and absence', () => {
  const H100_LOAD = 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load__query-gpu.csv';
  const health = ['nvidia-smi', ...queryArgs(allHealthNames())].join(' ');
  const xml = ['nvidia-smi', ...XML_ARGS].join(' ');

  it('asks -q -x on rounds 0 and 5 of 6 (xmlEvery 5); a refusal is "not present here"', async () => {
    const replay = createNvidiaReplayRunner(fixture(H100_LOAD));
    const runner = new FakeCommandRunner()
      .on(health, (call) => replay.run(call.cmd, call.args))
      .on(['nvidia-smi', ...NVLINK_ARGS].join(' '), ok(''))
      .on(xml, exited(2, '', 'Unknown option -x\n'));
    const clock = { t: 0 };
    const p = new HealthPoller(runner, {
      everyMs: 30_000,
      timeoutMs: 10_000,
      now: () => clock.t,
      xmlEvery: 5,
    });
    for (let round = 0; round < 6; round++) {
      clock.t = round * 30_000;
      p.poll(clock.t);
      await p.settle();
    }
    expect(runner.callsOf(health)).toHaveLength(6);
    expect(runner.callsOf(xml)).toHaveLength(2);
    expect(p.note()).toContain('nvidia-smi -q -x not present here: nvidia-smi exited with code 2');
  });

  /**
   * The H100 capture answers the health query as the GPU whose `-q -x` is replayed: its masked
   * UUID is set to that file's, so the two match as one GPU's outputs would.
   */
  function limitsAfterRounds(xmlFile: string, uuid: string, rounds: number) {
    const csv = fixture(H100_LOAD).replaceAll('GPU-00000000-0000-0000-0000-000000000000', uuid);
    const replay = createNvidiaReplayRunner(csv, { xmlText: fixture(xmlFile) });
    const runner = new FakeCommandRunner()
      .on(health, (call) => replay.run(call.cmd, call.args))
      .on(['nvidia-smi', ...NVLINK_ARGS].join(' '), ok(''))
      .on(xml, (call) => replay.run(call.cmd, call.args));
    const clock = { t: 0 };
    const p = new HealthPoller(runner, {
      everyMs: 30_000,
      timeoutMs: 10_000,
      now: () => clock.t,
      xmlEvery: 5,
    });
    const seen: Map<string, unknown>[] = [new Map(p.temperatureLimits())];
    return (async () => {
      for (let round = 0; round < rounds; round++) {
        clock.t = round * 30_000;
        p.poll(clock.t);
        await p.settle();
        seen.push(new Map(p.temperatureLimits()));
      }
      return { seen, xmlCalls: runner.callsOf(xml).length };
    })();
  }

  it("keeps each GPU's temperature limits from -q -x: none before the first round, the A10G file's 95/98 °C after it and through the rounds without -q -x", async () => {
    const { seen, xmlCalls } = await limitsAfterRounds('a10g.xml', A10G_UUID, 3);
    expect(xmlCalls).toBe(1);
    expect(seen[0]!.size).toBe(0);
    for (const after of seen.slice(1)) {
      expect([...after]).toEqual([[A10G_UUID, { slowdown: 95, shutdown: 98 }]]);
    }
  });

  it('a GPU printing N/A for both limits (Tesla P4) has none', async () => {
    const { seen, xmlCalls } = await limitsAfterRounds(
      'tesla_p4.xml',
      'GPU-1b1ea7c7-1c4b-ed49-1c72-26c65f2dd207',
      1,
    );
    expect(xmlCalls).toBe(1);
    expect(seen[1]!.size).toBe(0);
  });
});
