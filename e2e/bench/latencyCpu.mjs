// CPU time by process for `npm run bench:latency`: every process under this one (prometheus,
// `osprey serve`, Chromium's browser, renderer, GPU and utility processes) read from
// /proc/<pid>/stat, so a load's cost can be split by who spent it. On a 2-core machine what the
// page spends is taken from Prometheus, which answers the same queries more slowly meanwhile.
import { readFileSync, readdirSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may hold spaces and parentheses: fields resume after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    let cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    // Chromium rewrites its children's argv into one space-separated title.
    if (cmd.filter(Boolean).length === 1) cmd = cmd[0].split(' ');
    return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]), cmd };
  } catch {
    return undefined; // gone meanwhile
  }
}

function group(cmd) {
  const exe = cmd[0] ?? '';
  if (exe.endsWith('prometheus')) return 'prometheus';
  if (cmd.includes('serve') && cmd.some((a) => a.endsWith('osprey.js'))) return 'osprey serve';
  if (exe.includes('chrom') || exe.endsWith('/proc/self/exe')) {
    const type = cmd.find((a) => a.startsWith('--type='))?.slice('--type='.length);
    const sub = cmd.find((a) => a.startsWith('--utility-sub-type='));
    if (type === 'renderer') return 'chromium renderer';
    if (type === 'gpu-process') return 'chromium gpu';
    if (sub?.includes('network')) return 'chromium network';
    return 'chromium other';
  }
  return undefined;
}

/** CPU ms so far of every descendant of this process, by group. */
export function cpuByGroup() {
  const procs = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(name);
    if (s) procs.set(Number(name), s);
  }
  const mine = new Set([process.pid]);
  // Parents have lower pids than children only usually; repeat until nothing new joins.
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, s] of procs) {
      if (!mine.has(pid) && mine.has(s.ppid)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  const out = { bench: process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000 };
  for (const pid of mine) {
    if (pid === process.pid) continue;
    const s = procs.get(pid);
    const g = group(s.cmd) ?? 'other';
    out[g] = (out[g] ?? 0) + s.ticks * TICK_MS;
  }
  return out;
}

/** after − before per group (processes that exited in between are not counted). */
export function cpuDelta(before, after) {
  const out = {};
  for (const [g, ms] of Object.entries(after)) out[g] = Math.max(0, ms - (before[g] ?? 0));
  return out;
}
