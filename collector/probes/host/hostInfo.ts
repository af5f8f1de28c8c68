/**
 * What this machine is (HostInfo), read once at start: names and sizes from node:os, the CPU
 * model from /proc/cpuinfo, and the distribution from /etc/os-release ("Debian GNU/Linux 12
 * (bookworm)" says more in a header than "Linux"). Files that cannot be read leave the field out.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import os from 'node:os';

import type { HostInfo } from '../../core/model.js';
import { parseCpuModel } from './cpuModel.js';

export type ReadText = (path: string) => Promise<string>;

/** The facts HostInfo is made from, gathered by readHostInfo; separate so tests can give them. */
export interface HostFacts {
  hostname: string;
  /** os.type(): "Linux", "Darwin", "Windows_NT". */
  osType: string;
  /** uname -m: "x86_64", "aarch64". */
  machine: string;
  /** Kernel release, uname -r. */
  release: string;
  logicalCpus: number;
  totalMemBytes: number;
  cpuinfo?: string;
  osRelease?: string;
}

/** HostInfo names are at most 256 characters (protocol/spec.ts). */
const name = (s: string | undefined): string | undefined => {
  const t = s?.trim().slice(0, 256);
  return t ? t : undefined;
};

/** PRETTY_NAME from os-release(5), quotes removed. */
export function parseOsRelease(text: string): string | undefined {
  const m = /^PRETTY_NAME=(.*)$/m.exec(text);
  return m ? name(m[1]!.replace(/^(["'])(.*)\1$/, '$2')) : undefined;
}

export function hostInfo(f: HostFacts): HostInfo {
  const info: HostInfo = {
    hostname: name(f.hostname) ?? 'unknown',
    os:
      (f.osRelease === undefined ? undefined : parseOsRelease(f.osRelease)) ??
      name(f.osType) ??
      'unknown',
    arch: name(f.machine) ?? 'unknown',
    cpuCores: Math.max(0, Math.floor(f.logicalCpus)),
    memoryTotalBytes: Math.max(0, f.totalMemBytes),
  };
  const kernel = name(f.release);
  if (kernel) info.kernel = kernel;
  const cpuModel = name(f.cpuinfo === undefined ? undefined : parseCpuModel(f.cpuinfo));
  if (cpuModel) info.cpuModel = cpuModel;
  return info;
}

const readText: ReadText = (path) => fsReadFile(path, 'utf8');

export async function readHostInfo(opts: { readFile?: ReadText } = {}): Promise<HostInfo> {
  const read = opts.readFile ?? readText;
  const optional = (path: string): Promise<string | undefined> => read(path).catch(() => undefined);
  const [cpuinfo, osRelease] = await Promise.all([
    optional('/proc/cpuinfo'),
    optional('/etc/os-release'),
  ]);
  return hostInfo({
    hostname: os.hostname(),
    osType: os.type(),
    machine: os.machine(),
    release: os.release(),
    // Logical CPUs: the unit /proc/stat's per-core lines and host.cpu.core.utilization count in.
    logicalCpus: os.cpus().length,
    totalMemBytes: os.totalmem(),
    cpuinfo,
    osRelease,
  });
}
