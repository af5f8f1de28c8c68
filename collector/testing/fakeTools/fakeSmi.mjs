#!/usr/bin/env node
// A misbehaving nvidia-smi or npu-smi for the collector's fake-tool suite (issue 10). The
// collector finds its tools on PATH, so the tests put ./bin first on it; bin/nvidia-smi and
// bin/npu-smi exec this script with the tool's name first. How it misbehaves is chosen by
// OSPREY_FAKE_NVIDIA_SMI / OSPREY_FAKE_NPU_SMI (default `healthy`):
//
//   nvidia-smi  healthy                 answers from a real H100 capture; -lms streams its row
//               hang                    prints nothing and never exits, whatever it is asked
//               ignore-sigterm          healthy, but ignores SIGTERM (pids in $OSPREY_FAKE_PIDS)
//               flood-no-newline        healthy first run; the stream prints bytes, never a newline
//               slow-flood-no-newline   the same at 1 MB/s (under the collector's rate ceiling)
//               new-uuids               the stream prints rows of ever-new GPUs, as fast as it can
//               slow-new-uuids          2,000 new GPUs a second (under the rate ceiling)
//               exit-nonzero            every run: "Failed to initialize NVML: Unknown Error", 255
//               garbage                 the stream prints random bytes, ~1 MB/s
//               big-output              one-shot queries print 20 MB of rows
//   npu-smi     healthy                 `info` prints a real 16-chip Atlas A3 table
//               hang                    prints nothing and never exits
//               many-chips              `info` lists 1,100 NPUs × 2 chips in the real layout
//               big-output              `info` prints 20 MB
//               garbage                 `info` prints 1 MB of random bytes, exit 0
//
// Healthy answers come from recorded real outputs (collector/probes/*/fixtures), never invented.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../../probes/', import.meta.url));
const H100 = join(
  FIXTURES,
  'nvidia/fixtures/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load__query-gpu.csv',
);
const A3 = join(
  FIXTURES,
  'ascend/fixtures/npu-smi-info_A3_16chip_24.1.rc3.7_idle_vllm-ascend-issue2667.txt',
);

const [tool, ...args] = process.argv.slice(2);
const mode =
  (tool === 'npu-smi' ? process.env.OSPREY_FAKE_NPU_SMI : process.env.OSPREY_FAKE_NVIDIA_SMI) ??
  'healthy';

const forever = () => setInterval(() => {}, 1 << 30);

/** Writes `next()` chunks as fast as the pipe takes them, until next() returns undefined. */
function pump(next) {
  const write = () => {
    for (;;) {
      const chunk = next();
      if (chunk === undefined) return;
      if (!process.stdout.write(chunk)) return void process.stdout.once('drain', write);
    }
  };
  process.stdout.on('error', () => process.exit(0));
  write();
}

/** Writes `next()` every `ms` ms. */
function every(ms, next) {
  process.stdout.on('error', () => process.exit(0));
  const tick = () => process.stdout.write(next());
  tick();
  setInterval(tick, ms);
}

// ---- nvidia-smi -----------------------------------------------------------------------------

function option(name) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name) return args[i + 1];
    if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
  }
  return undefined;
}

/** The capture's one row as name → cell, units dropped (the probe asks for nounits). */
function captureRow() {
  const [header, row] = readFileSync(H100, 'utf8').trim().split('\n');
  const cells = row.split(', ');
  const out = new Map();
  header.split(', ').forEach((h, i) => {
    const m = /^(.*?)(?: \[(.+)\])?$/.exec(h.trim());
    const cell = cells[i] ?? '';
    const unit = m[2] === undefined ? undefined : ` ${m[2]}`;
    out.set(m[1], unit !== undefined && cell.endsWith(unit) ? cell.slice(0, -unit.length) : cell);
  });
  return out;
}

/** The requested columns of the capture's row; a name it lacks is `[N/A]`, as on that driver. */
function gpuRow(names, values, uuid) {
  return names
    .map((n) => (n === 'uuid' && uuid !== undefined ? uuid : (values.get(n) ?? '[N/A]')))
    .join(', ');
}

function nvidiaSmi() {
  if (mode === 'hang') return forever();
  if (mode === 'exit-nonzero') {
    process.stdout.write('Failed to initialize NVML: Unknown Error\n');
    process.exit(255);
  }
  if (mode === 'ignore-sigterm') {
    process.on('SIGTERM', () => {});
    const dir = process.env.OSPREY_FAKE_PIDS;
    if (dir) writeFileSync(join(dir, String(process.pid)), args.join(' '));
  }
  const apps = option('--query-compute-apps');
  if (apps !== undefined) return; // no compute processes: empty output, exit 0
  const names = (option('--query-gpu') ?? '').split(',').map((n) => n.trim());
  const values = captureRow();
  const loopMs = Number(option('-lms') ?? option('--loop-ms') ?? NaN);
  if (!Number.isFinite(loopMs)) {
    if (mode !== 'big-output') return void process.stdout.write(`${gpuRow(names, values)}\n`);
    const line = `${gpuRow(names, values)}\n`;
    let left = Math.ceil((20 * 1024 * 1024) / line.length);
    return pump(() => (left-- > 0 ? line : undefined));
  }
  if (mode === 'flood-no-newline') {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    return pump(() => chunk);
  }
  if (mode === 'slow-flood-no-newline') {
    const chunk = Buffer.alloc(100 * 1024, 'y');
    return every(100, () => chunk);
  }
  if (mode === 'new-uuids') {
    let i = 0;
    return pump(
      () => `${gpuRow(names, values, `GPU-${randomUUID()}`).replace(/^0,/, `${i++},`)}\n`,
    );
  }
  if (mode === 'slow-new-uuids') {
    let i = 0;
    return every(1000, () => {
      const rows = [];
      for (let k = 0; k < 2000; k++) {
        rows.push(gpuRow(names, values, `GPU-${randomUUID()}`).replace(/^0,/, `${i++},`));
      }
      return `${rows.join('\n')}\n`;
    });
  }
  if (mode === 'garbage') return every(100, () => randomBytes(100 * 1024));
  every(loopMs, () => `${gpuRow(names, values)}\n`);
}

// ---- npu-smi --------------------------------------------------------------------------------

/** The A3 table with its 8 NPUs (16 chips) repeated, renumbered, up to `npus` NPUs. */
function manyChips(npus) {
  const lines = readFileSync(A3, 'utf8').split('\n');
  const head = lines.slice(0, 6);
  // Each NPU is 6 lines: two chips of two rows and a separator each.
  const first = lines.slice(6, 12);
  const body = [];
  for (let n = 0; n < npus; n++) {
    // The NPU id opens each chip's name row ("| 0     Ascend910 …"); the chip rows keep theirs.
    for (const l of first) {
      body.push(/Ascend/.test(l) ? l.replace(/^\| 0 {5}/, `| ${String(n).padEnd(6)}`) : l);
    }
  }
  return `${[...head, ...body].join('\n')}\n`;
}

function npuSmi() {
  if (mode === 'hang') return forever();
  if (args[0] !== 'info' || args.length > 1) {
    process.stderr.write(`fake npu-smi: ${args.join(' ')} is not recorded\n`);
    process.exit(1);
  }
  if (mode === 'many-chips') return void process.stdout.write(manyChips(1100));
  if (mode === 'garbage') return void process.stdout.write(randomBytes(1024 * 1024));
  const table = readFileSync(A3, 'utf8');
  if (mode !== 'big-output') return void process.stdout.write(table);
  let left = Math.ceil((20 * 1024 * 1024) / table.length);
  pump(() => (left-- > 0 ? table : undefined));
}

if (tool === 'nvidia-smi') nvidiaSmi();
else if (tool === 'npu-smi') npuSmi();
else {
  process.stderr.write(`fakeSmi.mjs: unknown tool ${tool}\n`);
  process.exit(2);
}
