import { describe, expect, it } from 'vitest';

import type { Diagnosis } from '../../../../collector/core/diagnosis/types.js';
import type { DeviceInfo, Sample } from '../../../../collector/core/protocol/spec.js';
import { formatDateTime } from '../../lib/format.js';
import { HealthMarks } from '../../lib/health/healthMarks.js';
import type { StoredDiagnosis } from '../../lib/health/storedDiagnoses.js';
import { LiveStore } from '../../store/LiveStore.js';
import { H100, inventory, metrics } from '../../testing/messages.js';
import { safeUrl, stepParts } from './diagnosisView.js';
import { MAX_INCIDENTS, prepareHealth } from './prepareHealth.js';

const NODE = 'node-017';
const GPU = (index: number): DeviceInfo => ({
  ...H100,
  id: `GPU-${index}`,
  uuid: `GPU-${index}`,
  index,
});
const T0 = 1_780_000_000_000;
/** The fault, 30 s into a minute of 1 s ticks. */
const FAULT = T0 + 30_000;

interface EngineTick {
  running: number | null;
  waiting: number | null;
  p50: number | null;
  p99: number | null;
  /** engine.requests.finished by reason (counters since start); absent: the engine sends none. */
  finished?: Record<string, number | null>;
}

const engineSamples = (engine: string, v: EngineTick): Sample[] => {
  const l = { engine, model: 'llama-3-70b', framework: 'vllm' };
  return [
    { m: 'engine.requests.running', v: v.running, l },
    { m: 'engine.requests.waiting', v: v.waiting, l },
    { m: 'engine.latency.ttft', v: v.p50, l: { ...l, q: 'p50' } },
    { m: 'engine.latency.ttft', v: v.p99, l: { ...l, q: 'p99' } },
    ...Object.entries(v.finished ?? {}).map(([reason, n]) => ({
      m: 'engine.requests.finished',
      v: n,
      l: { ...l, reason },
    })),
  ];
};

/**
 * node-017 with GPUs 0–3 (GPU 2 reporting health 1 = Warning, GPU 3 no health value), 60 ticks;
 * `tick(t)` gives the engines' values at time t.
 */
function storeWith(tick: (t: number) => Record<string, EngineTick>, ticks = 60): LiveStore {
  const store = new LiveStore();
  const devices = [GPU(0), GPU(1), GPU(2), GPU(3)];
  store.ingest({
    receivedAt: T0,
    messages: [inventory(devices, undefined, { node: NODE, ts: T0 })],
  });
  for (let i = 0; i < ticks; i++) {
    const t = T0 + i * 1000;
    const health: Sample[] = [
      { m: 'device.health', v: 0, d: 'GPU-0' },
      { m: 'device.health', v: 0, d: 'GPU-1' },
      { m: 'device.health', v: 1, d: 'GPU-2' },
    ];
    const engines = Object.entries(tick(t)).flatMap(([e, v]) => engineSamples(e, v));
    store.ingest({
      receivedAt: t,
      messages: [metrics(t, [...health, ...engines], { node: NODE, seq: i + 1 })],
    });
  }
  return store;
}

function diagnosis(over: Partial<StoredDiagnosis> = {}): StoredDiagnosis {
  const base: Diagnosis = {
    id: 'node-017/GPU-0/xid/79',
    incident: 'inc-1',
    ts: FAULT,
    lastTs: FAULT,
    count: 1,
    node: NODE,
    device: 'GPU-0',
    deviceLabel: 'GPU 0 (NVIDIA H100 80GB HBM3)',
    kind: 'xid',
    code: '79',
    severity: 'critical',
    title: 'GPU 0 fell off the PCIe bus',
    cause: 'The GPU stopped answering on PCIe: power, thermal or hardware fault.',
    impact: 'GPU unusable until the node is rebooted',
    action: {
      bucket: 'reboot-node',
      summary: 'Drain the node and reboot it',
      steps: ['Drain it: `kubectl drain node-017 --ignore-daemonsets`', '`sudo reboot`'],
    },
    ref: {
      catalog: 'nvsentinel-xid',
      id: '79',
      name: 'ROBUST_CHANNEL_GPU_HAS_FALLEN_OFF_THE_BUS',
      url: 'https://docs.nvidia.com/deploy/xid-errors/index.html',
    },
    evidence: [
      {
        ts: FAULT,
        text: 'NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, GPU has fallen off the bus.',
        source: 'kmsg',
      },
    ],
  };
  return { ...base, nodeKey: NODE, nodeName: NODE, cluster: 'local', ...over };
}

const serving: EngineTick = { running: 40, waiting: 3, p50: 0.2, p99: 0.4 };
const gone: EngineTick = { running: null, waiting: null, p50: null, p99: null };
const noMarks = new HealthMarks('c1', undefined);

describe('stepParts', () => {
  it('splits a step into its words and the commands between backticks', () => {
    expect(stepParts('Then reset it: `nvidia-smi -r -i 3` and wait')).toEqual([
      { text: 'Then reset it: ', code: false },
      { text: 'nvidia-smi -r -i 3', code: true },
      { text: ' and wait', code: false },
    ]);
    expect(stepParts('an unpaired ` stays text')).toEqual([
      { text: 'an unpaired ` stays text', code: false },
    ]);
  });
});

describe('prepareHealth', () => {
  it('says no data yet before any node is heard, and no diagnoses once devices are', () => {
    expect(prepareHealth(new LiveStore(), [], noMarks, T0).status).toBe('no-data');
    const store = storeWith(() => ({}), 2);
    const model = prepareHealth(store, [], noMarks, T0 + 2000);
    expect(model.status).toBe('no-diagnoses');
    expect(model.incidents).toEqual([]);
  });

  it('counts devices by state in words: tool health, worsened by open diagnoses', () => {
    const store = storeWith(() => ({}), 2);
    const model = prepareHealth(store, [diagnosis()], noMarks, T0 + 2000);
    // GPU 0: health 0 but an open critical diagnosis; GPU 1 OK; GPU 2 health 1; GPU 3 no value.
    expect(model.clusters).toEqual([
      {
        cluster: 'local',
        name: 'local',
        devices: 4,
        counts: [
          { state: 'ok', word: 'OK', count: 1 },
          { state: 'warning', word: 'Warning', count: 1 },
          { state: 'error', word: 'Error', count: 0 },
          { state: 'critical', word: 'Critical', count: 1 },
          { state: 'unknown', word: 'No data', count: 1 },
        ],
      },
    ]);
  });

  it('shows the incident with device, node, times by the store clock, evidence, advice and reference', () => {
    const store = storeWith(() => ({}), 2);
    const now = FAULT + 185_000;
    const [view] = prepareHealth(
      store,
      [diagnosis({ count: 12, lastTs: FAULT + 90_000 })],
      noMarks,
      now,
    ).incidents;
    expect(view).toMatchObject({
      state: 'open',
      stateWord: 'Open',
      severity: 'critical',
      severityWord: 'Critical',
      title: 'GPU 0 fell off the PCIe bus',
      device: 'GPU 0',
      node: NODE,
      since: formatDateTime(FAULT),
      sinceIso: new Date(FAULT).toISOString(),
      age: '3 min ago',
      latest: `latest ${formatDateTime(FAULT + 90_000).slice(11)}`,
      count: 12,
      countText: 'seen 12 times',
      ids: ['node-017/GPU-0/xid/79'],
    });
    expect(view!.diagnoses[0]).toMatchObject({
      code: 'Xid 79',
      cause: 'The GPU stopped answering on PCIe: power, thermal or hardware fault.',
      impact: 'GPU unusable until the node is rebooted',
      evidence: [
        {
          time: formatDateTime(FAULT),
          text: 'NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, GPU has fallen off the bus.',
          source: 'kmsg',
        },
      ],
      advice: {
        bucket: 'Reboot the node',
        summary: 'Drain the node and reboot it',
        steps: [
          [
            { text: 'Drain it: ', code: false },
            { text: 'kubectl drain node-017 --ignore-daemonsets', code: true },
          ],
          [{ text: 'sudo reboot', code: true }],
        ],
      },
      ref: {
        text: 'NVSentinel Xid catalog · 79 · ROBUST_CHANNEL_GPU_HAS_FALLEN_OFF_THE_BUS',
        url: 'https://docs.nvidia.com/deploy/xid-errors/index.html',
      },
    });
  });

  it('names a code with the kind of fact it is', () => {
    const store = storeWith(() => ({}), 2);
    const codes = (d: Partial<StoredDiagnosis>) =>
      prepareHealth(store, [diagnosis(d)], noMarks, FAULT).incidents[0]!.diagnoses[0]!.code;
    expect(codes({ kind: 'npu-fault', code: '0x80E24E00' })).toBe('fault code 0x80E24E00');
    expect(codes({ kind: 'temperature', code: 'slowdown' })).toBe('temperature: slowdown');
    expect(codes({ kind: 'sxid', code: '12028' })).toBe('NVSwitch SXid 12028');
  });

  it('escapes invisible characters in text from the wire and never links a non-http reference', () => {
    const store = storeWith(() => ({}), 2);
    const d = diagnosis({
      title: 'GPU\u202E 0 fell',
      ref: { catalog: 'x', id: '1', url: 'javascript:alert(1)' },
      action: { bucket: 'restart-app', summary: 'Restart', steps: ['rm\u200B -rf /tmp/x'] },
    });
    const [view] = prepareHealth(store, [d], noMarks, FAULT).incidents;
    expect(view!.title).toBe('GPU\\u202E 0 fell');
    expect(view!.diagnoses[0]!.ref).toEqual({ text: 'x · 1', url: undefined });
    expect(view!.diagnoses[0]!.advice.steps).toEqual([
      [{ text: 'rm\\u200B -rf /tmp/x', code: false }],
    ]);
    expect(safeUrl('file:///etc/passwd')).toBeUndefined();
    expect(safeUrl('https://example.com/a b')).toBe('https://example.com/a%20b');
  });

  it('puts open incidents first, then newest first; acknowledged and resolved after', () => {
    const store = storeWith(() => ({}), 2);
    const marks = new HealthMarks('c1', undefined);
    const old = diagnosis({ id: 'a', incident: 'i-a', ts: T0, lastTs: T0 });
    const newer = diagnosis({ id: 'b', incident: 'i-b', ts: T0 + 5000, lastTs: T0 + 5000 });
    const newest = diagnosis({ id: 'c', incident: 'i-c', ts: T0 + 9000, lastTs: T0 + 9000 });
    marks.mark(['c'], 'acknowledged', T0 + 10_000);
    const model = prepareHealth(store, [old, newest, newer], marks, T0 + 20_000);
    expect(model.incidents.map((i) => [i.ids[0], i.state])).toEqual([
      ['b', 'open'],
      ['a', 'open'],
      ['c', 'acknowledged'],
    ]);
    expect(model.attention).toBe(2);
  });

  it(`draws the first ${MAX_INCIDENTS} incidents and counts them all`, () => {
    const store = storeWith(() => ({}), 2);
    const many = Array.from({ length: MAX_INCIDENTS + 5 }, (_, i) =>
      diagnosis({ id: `d${i}`, incident: `i${i}`, ts: T0 + i, lastTs: T0 + i }),
    );
    const model = prepareHealth(store, many, noMarks, T0 + 1000);
    expect([model.incidents.length, model.total, model.open, model.attention]).toEqual([
      MAX_INCIDENTS,
      MAX_INCIDENTS + 5,
      MAX_INCIDENTS + 5,
      MAX_INCIDENTS + 5,
    ]);
    // Newest first: the five oldest are the ones left out.
    expect(model.incidents.at(-1)!.ids).toEqual(['d5']);
  });

  it('groups the diagnoses of one incident under its worst, and counts signals over all', () => {
    const store = storeWith(() => ({}), 2);
    const root = diagnosis();
    const follow = diagnosis({
      id: 'node-017/GPU-0/xid/45',
      code: '45',
      severity: 'warning',
      title: 'Preemptive cleanup after the fault',
      ts: FAULT + 2000,
      lastTs: FAULT + 8000,
      count: 5,
    });
    const [view, ...rest] = prepareHealth(store, [follow, root], noMarks, FAULT + 9000).incidents;
    expect(rest).toEqual([]);
    expect(view!.title).toBe('GPU 0 fell off the PCIe bus');
    expect(view!.diagnoses.map((d) => d.code)).toEqual(['Xid 79', 'Xid 45']);
    expect(view!.count).toBe(6);
    expect(view!.latest).toBe(`latest ${formatDateTime(FAULT + 8000).slice(11)}`);
  });

  it('says an engine whose GPU fell off stopped serving, with before → after values', () => {
    const store = storeWith((t) => ({ 'llama-70b-tp8': t < FAULT ? serving : gone }));
    const [view] = prepareHealth(store, [diagnosis()], noMarks, T0 + 59_000).incidents;
    expect(view!.impact.engines).toEqual([
      {
        engine: 'llama-70b-tp8',
        model: 'llama-3-70b',
        state: 'stopped',
        stateWord: 'stopped serving',
        running: '40 → —',
        waiting: '3 → —',
        ttftP50: '200 ms → —',
        ttftP99: '400 ms → —',
        errorRate: 'no data',
        errorRateNoData: true,
      },
    ]);
    const at = formatDateTime(FAULT).slice(11);
    const last = formatDateTime(FAULT - 1000).slice(11);
    expect(view!.impact.sentence).toBe(
      `GPU 0 fell off the PCIe bus on node-017 at ${at}; engine llama-70b-tp8 on that node stopped serving (no values since ${last}); drain the node and reboot it.`,
    );
  });

  it('gives the error rate as aborted ÷ finished before → after: 5 % while serving, 100 % when the lost GPU failed the batch and queue', () => {
    // Each 1 s tick 19 requests stop and 1 is aborted; on the fault's tick the engine aborts the
    // 40 running and 3 waiting and reports nothing else, then falls silent.
    const tick = (t: number): EngineTick => {
      const k = (Math.min(t, FAULT - 1000) - T0) / 1000;
      const counted = { stop: 19 * k, length: 0, abort: k };
      if (t < FAULT) return { ...serving, finished: counted };
      if (t === FAULT) return { ...gone, finished: { ...counted, abort: counted.abort + 43 } };
      return { ...gone, finished: { stop: null, length: null, abort: null } };
    };
    const store = storeWith((t) => ({ 'llama-70b-tp8': tick(t) }));
    const [view] = prepareHealth(store, [diagnosis()], noMarks, T0 + 59_000).incidents;
    // Before: ticks T0 … FAULT − 1 s, 29 increases of 19 + 1; after: the 43 of the fault's tick.
    const before = (100 * 29) / (29 * 20);
    expect(before).toBe(5);
    expect(view!.impact.engines[0]).toMatchObject({
      state: 'stopped',
      errorRate: '5 % → 100 %',
      errorRateNoData: false,
    });
    const last = formatDateTime(FAULT - 1000).slice(11);
    expect(view!.impact.sentence).toContain(
      `engine llama-70b-tp8 on that node stopped serving (no values since ${last}, error rate 5 % → 100 %)`,
    );
  });

  it('reads 0 % for an engine that counts finished requests and aborted none, and no data for one that sends no counter', () => {
    const store = storeWith((t) => {
      const k = (t - T0) / 1000;
      return {
        counted: { ...serving, finished: { stop: 18 * k, length: 2 * k, abort: 0 } },
        uncounted: serving,
      };
    });
    const [view] = prepareHealth(store, [diagnosis()], noMarks, T0 + 59_000).incidents;
    expect(view!.impact.engines.map((e) => [e.engine, e.errorRate, e.errorRateNoData])).toEqual([
      ['counted', '0 %', false],
      ['uncounted', 'no data', true],
    ]);
  });

  it('reads a counter that went down as restarted from 0', () => {
    // 10 finished a tick, 1 of them aborted; the engine restarts at the fault and counts from 0.
    const store = storeWith((t) => {
      const k = t < FAULT ? (t - T0) / 1000 : (t - FAULT) / 1000 + 1;
      return { e: { ...serving, finished: { stop: 9 * k, abort: k } } };
    });
    const [view] = prepareHealth(store, [diagnosis()], noMarks, T0 + 59_000).incidents;
    expect(view!.impact.engines[0]!.errorRate).toBe('10 %');
  });

  it('says a stalled engine stopped serving with its running and waiting after the fault', () => {
    const stalled: EngineTick = { running: 0, waiting: 120, p50: 0.2, p99: 0.4 };
    const store = storeWith((t) => ({ 'llama-70b-tp8': t < FAULT ? serving : stalled }));
    const [view] = prepareHealth(store, [diagnosis()], noMarks, T0 + 59_000).incidents;
    expect(view!.impact.engines[0]).toMatchObject({
      state: 'stalled',
      running: '40 → 0',
      waiting: '3 → 120',
    });
    expect(view!.impact.sentence).toContain(
      'engine llama-70b-tp8 on that node stopped serving (running 0, waiting 120)',
    );
  });

  it('says an engine slowed down when TTFT p99 after is over 1.5× before, and one that kept serving', () => {
    const slow: EngineTick = { running: 40, waiting: 30, p50: 0.5, p99: 2 };
    const store = storeWith((t) => ({
      'a-slow': t < FAULT ? serving : slow,
      'b-fine': serving,
    }));
    const [view] = prepareHealth(store, [diagnosis()], noMarks, T0 + 59_000).incidents;
    expect(view!.impact.engines.map((e) => [e.engine, e.state, e.ttftP99])).toEqual([
      ['a-slow', 'slowed', '400 ms → 2 s'],
      ['b-fine', 'serving', '400 ms'],
    ]);
    expect(view!.impact.sentence).toContain(
      'engine a-slow slowed down (TTFT p99 400 ms → 2 s), engine b-fine kept serving (running 40, waiting 3)',
    );
  });

  it('names the engines that kept serving together, after the hurt ones with their numbers', () => {
    const store = storeWith((t) => ({
      'e-down': t < FAULT ? serving : gone,
      'e-fine-1': serving,
      'e-fine-2': serving,
    }));
    const [view] = prepareHealth(store, [diagnosis()], noMarks, T0 + 59_000).incidents;
    expect(view!.impact.sentence).toContain(
      `engine e-down stopped serving (no values since ${formatDateTime(FAULT - 1000).slice(11)}), engines e-fine-1 and e-fine-2 kept serving; `,
    );
  });

  it('says an engine sent no values yet when the incident is newer than its next tick', () => {
    const store = storeWith(() => ({ 'llama-70b-tp8': serving }), 31);
    const [view] = prepareHealth(store, [diagnosis()], noMarks, FAULT).incidents;
    expect(view!.impact.engines[0]!.state).toBe('unknown');
    expect(view!.impact.sentence).toContain(
      'engine llama-70b-tp8 on that node sent no values after it yet',
    );
  });

  it('says so when no engine on the node reports', () => {
    const store = storeWith(() => ({}));
    const [view] = prepareHealth(store, [diagnosis()], noMarks, T0 + 59_000).incidents;
    expect(view!.impact.engines).toEqual([]);
    expect(view!.impact.sentence).toContain('no engine on that node reports to this console');
  });
});
