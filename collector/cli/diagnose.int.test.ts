/**
 * `osprey diagnose`, the real built CLI on real kernel logs (collector/core/diagnosis/fixtures/
 * kernel, counts written down from the files in their SOURCES.md) and real nvidia-smi / npu-smi
 * captures (collector/probes/nvidia and ascend fixtures). Code, severity and advice are checked against the
 * NVSentinel catalog's own rows (fixtures/catalogs/nvsentinel_xiderrorsmapping.csv: code,
 * mnemonic, resolution, FATAL|NONFATAL), read here, not through the engine's table.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { Diagnosis } from '../core/diagnosis/types.js';
import { OSPREY_BIN, REPO_ROOT } from '../testing/serveProcess.js';

const DIAGNOSIS = join(REPO_ROOT, 'collector/core/diagnosis/fixtures');
const KERNEL = join(DIAGNOSIS, 'kernel');
const NVIDIA = join(REPO_ROOT, 'collector/probes/nvidia/fixtures');
const ASCEND = join(REPO_ROOT, 'collector/probes/ascend/fixtures');
const H100 = join(NVIDIA, 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load__query-gpu.csv');

const tmp = mkdtempSync(join(tmpdir(), 'osprey-diagnose-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `osprey diagnose …` with `input` on its standard input (closed at once when none). */
async function diagnose(args: string[], input?: string): Promise<Run> {
  const child = spawn(process.execPath, [OSPREY_BIN, 'diagnose', ...args], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

async function json(args: string[], input?: string): Promise<Diagnosis[]> {
  const r = await diagnose([...args, '--json'], input);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Diagnosis[];
}

interface CatalogRow {
  mnemonic: string;
  resolution: string;
  fatal: boolean;
}

/** NVSentinel's xiderrorsmapping.csv as it is: `code,mnemonic,resolution,FATAL|NONFATAL`. */
function catalog(): Map<string, CatalogRow> {
  const rows = new Map<string, CatalogRow>();
  const text = readFileSync(join(DIAGNOSIS, 'catalogs/nvsentinel_xiderrorsmapping.csv'), 'utf8');
  for (const line of text.split(/\r?\n/)) {
    const cells = line.split(',');
    if (cells.length < 4 || !/^\d+$/.test(cells[0]!)) continue;
    const cls = cells.at(-1)!.trim();
    rows.set(cells[0]!, {
      mnemonic: cells[1]!.trim(),
      resolution: cells.slice(2, -1).join(',').trim(),
      fatal: cls === 'FATAL',
    });
  }
  return rows;
}

/** The buckets types.ts names for NVSentinel's resolutions. */
const BUCKET: Readonly<Record<string, string>> = {
  RESTART_APP: 'restart-app',
  RESET_GPU: 'reset-device',
  RESTART_BM: 'reboot-node',
  RESTART_VM: 'reboot-node',
  IGNORE: 'watch',
};

const XIDS = catalog();

/** What the catalog row says an Xid diagnosis must carry: FATAL is critical, RESTART_APP error. */
function expectCatalog(d: Diagnosis, code: string, opts: { follower?: boolean } = {}): void {
  const row = XIDS.get(code)!;
  expect(d.kind).toBe('xid');
  expect(d.code).toBe(code);
  expect(d.ref).toMatchObject({ catalog: 'nvsentinel-xid', id: code, name: row.mnemonic });
  expect(d.severity).toBe(
    row.fatal ? 'critical' : row.resolution === 'RESTART_APP' ? 'error' : 'warning',
  );
  // A follower (43 after 13) takes the incident's advice instead of its own.
  if (!opts.follower && BUCKET[row.resolution])
    expect(d.action.bucket).toBe(BUCKET[row.resolution]);
}

/** The human block of a diagnosis: from its head line to the next blank line. */
function block(text: string, head: string): string {
  const start = text.indexOf(head);
  expect(start, `no "${head}" in:\n${text}`).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n\n', start);
  return text.slice(start, end < 0 ? undefined : end);
}

describe('osprey diagnose', () => {
  it('Xid 79 in a kmsg log + the nvidia-smi capture of that GPU: GPU 0 (H100), critical, drain and reboot', async () => {
    // The real H100 capture with its bus id set to the log's GPU (0000:91:00; the capture's own is
    // 00:09.0, no other cell changed), so the log's address finds the capture's GPU.
    const capture = join(tmp, 'h100-at-91.csv');
    const original = readFileSync(H100, 'utf8');
    expect(original).toContain(', 00000000:00:09.0,');
    writeFileSync(capture, original.replace(', 00000000:00:09.0,', ', 00000000:91:00.0,'));
    const log = join(KERNEL, 'kmsg-gpud-sxid-readme-xid79-sxid20034.txt');

    const ds = await json(['--kmsg', log, '--nvidia-smi', capture]);
    const lost = ds.filter((d) => d.kind === 'xid');
    expect(lost).toHaveLength(1);
    const d = lost[0]!;
    expect(d.device).toBe('GPU-00000000-0000-0000-0000-000000000000');
    expect(d.deviceLabel).toBe('GPU 0 (NVIDIA H100 80GB HBM3)');
    expectCatalog(d, '79');
    expect(d.evidence.map((e) => e.text)).toEqual([
      "[6781741.548779] NVRM: Xid (PCI:0000:91:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.",
    ]);
    // The file's 8 SXid 20034 lines, counted on their NVSwitches (05, 06, 07), none dropped.
    const sxid = ds.filter((d) => d.kind === 'sxid');
    expect(sxid.every((s) => s.code === '20034')).toBe(true);
    expect(sxid.reduce((n, s) => n + s.count, 0)).toBe(8);

    const human = await diagnose(['--kmsg', log, '--nvidia-smi', capture]);
    expect(human.code).toBe(0);
    const text = block(human.stdout, 'CRITICAL · GPU 0 (NVIDIA H100 80GB HBM3) · Xid 79');
    expect(text).toContain(`  What happened  ${d.title}`);
    expect(text).toContain(`  Action         ${d.action.summary} (Reboot the node)`);
    expect(text).toContain(`1. ${d.action.steps[0]}`);
    expect(text).toContain(`NVSentinel Xid catalog · 79 · ${XIDS.get('79')!.mnemonic}`);
    expect(text).toContain("NVRM: Xid (PCI:0000:91:00): 79, pid='<unknown>'");
  });

  it('reads the log from standard input: 16 Xid 13 then one Xid 43 on 0000:38:00, one incident', async () => {
    const log = readFileSync(join(KERNEL, 'dmesg-gpud-xid13-xid43-iso-ts.log'), 'utf8');
    const ds = await json(['--kmsg', '-'], log);
    expect(ds.map((d) => [d.code, d.count, d.deviceLabel])).toEqual([
      ['13', 16, 'GPU 0000:38:00'],
      ['43', 1, 'GPU 0000:38:00'],
    ]);
    expectCatalog(ds[0]!, '13');
    expectCatalog(ds[1]!, '43', { follower: true });
    expect(ds[1]!.incident).toBe(ds[0]!.incident);
    // Times are the lines' own: 2025-01-21T04:41:44,283302+00:00 … the 43 at 04:41:44,287197.
    expect(ds[0]!.ts).toBe(Date.UTC(2025, 0, 21, 4, 41, 44, 283));
    expect(ds[1]!.ts).toBe(Date.UTC(2025, 0, 21, 4, 41, 44, 287));

    const human = await diagnose(['--kmsg', '-'], log);
    expect(human.stdout.split('\n')[0]).toBe(
      '2 diagnoses in 1 incident (1 error, 1 warning) from 24 lines of standard input',
    );
    expect(human.stdout).toContain(
      'Incident 1 of 1 · GPU 0000:38:00 · error · Xid 13, then Xid 43',
    );
    expect(human.stdout).toContain('seen 16 times');
  });

  it('GSP RPC timeouts (Xid 119 ×3 on 0000:07:00, uptime stamps): critical, reset the GPU', async () => {
    const ds = await json(['--kmsg', join(KERNEL, 'kmsg-issue-dcgm144-xid119-gsp-timeout.txt')]);
    expect(ds).toHaveLength(1);
    expectCatalog(ds[0]!, '119');
    expect(ds[0]!.count).toBe(3);
    // Uptime stamps are no dates: the evidence says so (null) rather than inventing one.
    expect(ds[0]!.evidence.map((e) => e.ts)).toEqual([null, null, null]);
  });

  it('a log without faults says "no faults found in N lines" and exits 0', async () => {
    const file = join(KERNEL, 'dmesg-gpud-pstore-nvrm-load.txt');
    const lines = readFileSync(file, 'utf8').split('\n').length - 1; // 415 lines, each ended
    const r = await diagnose(['--kmsg', file]);
    expect(r).toEqual({ code: 0, stdout: `no faults found in ${lines} lines\n`, stderr: '' });
    expect(await json(['--kmsg', file])).toEqual([]);
  });

  it('healthy captures alone: the H100 under load, an `npu-smi info` table', async () => {
    expect(await diagnose(['--nvidia-smi', H100])).toEqual({
      code: 0,
      stdout: 'no faults found in 2 lines\n',
      stderr: '',
    });
    const npu = join(
      ASCEND,
      'npu-smi-info_910B3_A2_4of8-visible_24.1.rc2_procs_vllm-ascend-issue1155.txt',
    );
    const r = await diagnose(['--npu-smi', npu]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^no faults found in \d+ lines\n$/);
  });

  it('every real log prints in 100 columns without colour codes when not on a terminal', async () => {
    for (const name of [
      'kmsg-gpud-sxid-readme-xid79-sxid20034.txt',
      'kmsg-issue-dxvk1027-xid31-13-32-uptime-ts.txt',
      'kmsg-issue-gpud-pr46-xid13-xid109-ctime.txt',
    ]) {
      const r = await diagnose(['--kmsg', join(KERNEL, name)]);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('\u001b[');
      const widest = Math.max(...r.stdout.split('\n').map((l) => l.length));
      expect(widest, name).toBeLessThanOrEqual(100);
    }
  });

  it('the README’s example prints what the README says it prints', async () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const m = /```sh\nnpx osprey diagnose (.+)\n```\n\n```\n([\s\S]*?)\n```\n/.exec(readme);
    expect(m, 'the Hardware diagnosis example').not.toBeNull();
    const r = await diagnose(m![1]!.split(' '));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${m![2]!}\n`);
  });

  it('an unreadable input exits 1 naming it and why; no input at all is a usage error (2)', async () => {
    const missing = join(tmp, 'nope.log');
    expect(await diagnose(['--kmsg', missing])).toEqual({
      code: 1,
      stdout: '',
      stderr: `osprey: ${missing}: no such file\n`,
    });
    const q = join(tmp, 'q.txt');
    writeFileSync(q, '\n==============NVSMI LOG==============\n\nTimestamp : x\n');
    const r = await diagnose(['--nvidia-smi', q]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^osprey: ${q}: this is \`nvidia-smi -q\` output; give`));
    const none = await diagnose([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^osprey: diagnose needs an input/);
  });
});
