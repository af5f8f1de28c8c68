/**
 * Whether the kernel will let py-spy or perf attach, decided before running them, and the exact
 * fix when not. The rules (man 2 ptrace "Ptrace access mode checking";
 * https://www.kernel.org/doc/Documentation/admin-guide/LSM/Yama.rst;
 * https://www.kernel.org/doc/html/latest/admin-guide/perf-security.html):
 * - py-spy reads the target's memory (process_vm_readv): a ptrace "attach" check. Root or
 *   CAP_SYS_PTRACE passes unless Yama's ptrace_scope is 3; otherwise the same uid is needed, and
 *   Yama scope 1 allows only descendants, scope 2 only CAP_SYS_PTRACE.
 * - perf record -p needs the same ptrace check on the target, and kernel.perf_event_paranoid
 *   ≤ 2 for user-space samples (≤ 1 for the kernel frames of `-g`), unless CAP_PERFMON or
 *   CAP_SYS_ADMIN. Debian's kernels add level 3 (no unprivileged perf at all).
 */
import type { CaptureTool } from '../core/protocol/profileCapture.js';
import type { PermissionFacts } from './processInfo.js';

const CAP_SYS_PTRACE = 19n;
const CAP_SYS_ADMIN = 21n;
const CAP_PERFMON = 38n;

/**
 * The capability mask decides, not the uid: root in a container usually lacks CAP_SYS_PTRACE
 * (Docker drops it unless `--cap-add SYS_PTRACE`), the classic reason py-spy fails there. Only when
 * the mask could not be read is root assumed to hold everything.
 */
const has = (facts: PermissionFacts, cap: bigint): boolean =>
  facts.capEff === undefined ? facts.uid === 0 : ((facts.capEff >> cap) & 1n) === 1n;

/** Why the tool cannot attach to a process of `targetUid` on `node`, with the fix; or undefined. */
export function permissionProblem(
  tool: CaptureTool,
  facts: PermissionFacts,
  target: { pid: number; uid: number | undefined },
  node: string,
): string | undefined {
  const ptrace = ptraceProblem(tool, facts, target, node);
  if (ptrace) return ptrace;
  if (tool !== 'perf' || has(facts, CAP_PERFMON) || has(facts, CAP_SYS_ADMIN)) return undefined;
  const level = facts.perfParanoid;
  if (level !== undefined && level > 1) {
    return (
      `perf cannot sample pid ${target.pid} on ${node}: kernel.perf_event_paranoid is ${level} ` +
      `(unprivileged perf needs 1 or less for -g with kernel frames). Fix: ` +
      '`sudo sysctl -w kernel.perf_event_paranoid=1`, or run the collector as root or with ' +
      'CAP_PERFMON (`sudo setcap cap_perfmon,cap_sys_ptrace+ep /usr/bin/perf`).'
    );
  }
  return undefined;
}

function ptraceProblem(
  tool: CaptureTool,
  facts: PermissionFacts,
  target: { pid: number; uid: number | undefined },
  node: string,
): string | undefined {
  const who = `${tool} cannot read pid ${target.pid} on ${node}`;
  const scope = facts.ptraceScope;
  if (scope === 3) {
    return (
      `${who}: kernel.yama.ptrace_scope is 3 (no process may attach to another, not even root, ` +
      'until reboot). Fix: boot with ptrace_scope 0–2 (it cannot be lowered at run time).'
    );
  }
  if (has(facts, CAP_SYS_PTRACE)) return undefined;
  const capFix =
    'run the collector as root or give it CAP_SYS_PTRACE ' +
    `(\`sudo setcap cap_sys_ptrace+ep $(command -v ${tool})\`, or in a container ` +
    '`--cap-add SYS_PTRACE`)';
  if (target.uid !== undefined && target.uid !== facts.uid) {
    return `${who}: it belongs to uid ${target.uid} and the collector runs as uid ${facts.uid}. Fix: ${capFix}.`;
  }
  if (scope === 2) {
    return `${who}: kernel.yama.ptrace_scope is 2 (only CAP_SYS_PTRACE may attach). Fix: ${capFix}.`;
  }
  if (scope === 1) {
    return (
      `${who}: kernel.yama.ptrace_scope is 1 (only a parent may attach). Fix: ` +
      `\`sudo sysctl -w kernel.yama.ptrace_scope=0\`, or ${capFix}.`
    );
  }
  return undefined;
}

/**
 * The tool ran and the kernel refused it anyway (a security module, a container's seccomp): the
 * tool's own words and the ways out.
 */
export function refusedByKernel(
  tool: CaptureTool,
  facts: PermissionFacts,
  pid: number,
  node: string,
  stderr: string,
): string {
  const said = firstErrorLine(stderr);
  const settings = [
    facts.ptraceScope !== undefined ? `kernel.yama.ptrace_scope=${facts.ptraceScope}` : undefined,
    tool === 'perf' && facts.perfParanoid !== undefined
      ? `kernel.perf_event_paranoid=${facts.perfParanoid}`
      : undefined,
  ].filter(Boolean);
  const fix =
    tool === 'perf'
      ? '`sudo sysctl -w kernel.perf_event_paranoid=1`, and run the collector as root or with CAP_PERFMON and CAP_SYS_PTRACE (in a container: `--cap-add PERFMON --cap-add SYS_PTRACE`, and a seccomp profile that allows perf_event_open)'
      : 'run the collector as root or with CAP_SYS_PTRACE (in a container: `--cap-add SYS_PTRACE`)';
  return `${tool} was refused access to pid ${pid} on ${node}${said ? `: ${said}` : ''}${settings.length ? ` (${settings.join(', ')})` : ''}. Fix: ${fix}.`;
}

/** True when the tool's stderr says the kernel refused it. */
export function looksRefused(stderr: string): boolean {
  return /permission denied|operation not permitted|os error 1\b|EPERM|EACCES|perf_event_paranoid/i.test(
    stderr,
  );
}

/** The tool's first line that says what went wrong, without py-spy's backtrace. */
export function firstErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('py-spy>') && !/^\d+: /.test(l));
  const error = lines.find((l) => /^error/i.test(l)) ?? lines[0] ?? '';
  return error.replace(/^Error:\s*/, '').slice(0, 300);
}
