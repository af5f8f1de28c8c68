// What py-spy at 100 Hz costs the process it profiles (issue 13: "the agent's capture overhead on
// the profiled process, reported"). A Python process spins in one function and prints its
// iteration count; windows without and with `py-spy record --rate 100` (the flags the collector
// uses, collector/profiling/captureProfile.ts) alternate, so drift of a shared machine hits both
// alike. Reports the target's iterations per second in each, the ratio per pair and its median,
// and py-spy's own CPU seconds per second (its process group's utime + stime from /proc).
//
//   flock /work/helpers/heavy.lock node e2e/bench/captureOverhead.mjs [pairs=6] [seconds=5]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const pairs = Number(process.argv[2] ?? 6);
const seconds = Number(process.argv[3] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'osprey-overhead-'));
const script = join(dir, 'spin.py');
writeFileSync(
  script,
  [
    'import sys, time',
    'def osprey_spin_target():',
    '    n = 0',
    '    while True:',
    '        n += 1',
    '        if n % 200000 == 0:',
    "            sys.stdout.write(f'{time.monotonic():.4f} {n}\\n'); sys.stdout.flush()",
    'osprey_spin_target()',
    '',
  ].join('\n'),
);

const spin = spawn('python3', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
let latest = [0, 0];
let buffered = '';
spin.stdout.setEncoding('utf8').on('data', (text) => {
  buffered += text;
  let at;
  while ((at = buffered.indexOf('\n')) >= 0) {
    latest = buffered.slice(0, at).split(' ').map(Number);
    buffered = buffered.slice(at + 1);
  }
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** utime + stime in seconds (USER_HZ 100). */
const cpu = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const groupCpu = (pgid) =>
  execFileSync('ps', ['-o', 'pid=', '-g', String(pgid)])
    .toString()
    .trim()
    .split('\n')
    .map(Number)
    .reduce((n, pid) => {
      try {
        return n + cpu(pid);
      } catch {
        return n;
      }
    }, 0);

async function measure(profiled) {
  const tool = profiled
    ? spawn(
        'py-spy',
        ['record', '--format', 'raw', '--rate', '100', '--duration', String(seconds + 3)].concat([
          '--pid',
          String(spin.pid),
          '-o',
          join(dir, 'out.txt'),
        ]),
        { stdio: 'ignore', detached: true },
      )
    : undefined;
  // py-spy needs a moment to attach; both windows skip the same second.
  await sleep(1000);
  const start = latest;
  const toolStart = tool ? groupCpu(tool.pid) : 0;
  await sleep(seconds * 1000);
  const end = latest;
  const toolCpu = tool ? (groupCpu(tool.pid) - toolStart) / seconds : 0;
  if (tool) process.kill(-tool.pid, 'SIGKILL');
  return { itersPerS: (end[1] - start[1]) / (end[0] - start[0]), toolCpu };
}

await sleep(1000);
const rows = [];
for (let i = 0; i < pairs; i++) {
  const off = await measure(false);
  const on = await measure(true);
  rows.push({
    off: off.itersPerS,
    on: on.itersPerS,
    ratio: on.itersPerS / off.itersPerS,
    toolCpu: on.toolCpu,
  });
}
spin.kill('SIGKILL');
rmSync(dir, { recursive: true, force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const r of rows) {
  console.log(
    `without ${Math.round(r.off / 1e3)}k it/s  with py-spy ${Math.round(r.on / 1e3)}k it/s  ratio ${r.ratio.toFixed(3)}  py-spy CPU ${(100 * r.toolCpu).toFixed(1)} % of a core`,
  );
}
console.log(
  `median ratio ${median(rows.map((r) => r.ratio)).toFixed(3)} (slowdown ${(100 * (1 - median(rows.map((r) => r.ratio)))).toFixed(1)} %), ` +
    `ratios ${Math.min(...rows.map((r) => r.ratio)).toFixed(3)}–${Math.max(...rows.map((r) => r.ratio)).toFixed(3)}, ` +
    `py-spy ${(100 * median(rows.map((r) => r.toolCpu))).toFixed(1)} % of a core (median); load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
);
