/**
 * /proc/diskstats: `major minor name` then at least 11 counters (14 since Linux 4.18, 17 since
 * 5.5); sectors read is the 3rd counter and sectors written the 7th. Sectors here are always 512
 * bytes whatever the device's own sector size (Documentation/admin-guide/iostats.rst).
 */
import type { CounterReading } from './rates.js';
import { lineProblem, parseCounter, type LineProblem } from './problems.js';

export const DISK_METRICS = ['host.disk.read', 'host.disk.write'] as const;

const SECTOR_BYTES = 512;
const MIN_WORDS = 3 + 11;
const SECTORS_READ = 5;
const SECTORS_WRITTEN = 9;

/**
 * Whole disks only: a partition's I/O is already in its disk's line, and loop and RAM disks are
 * not storage. Mirrors node_exporter's default device-exclude,
 * `^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$`, plus `mmcblk0p1`-style partitions.
 */
const NOT_A_DISK = /^(?:z?ram|loop|fd|(?:h|s|v|xv)d[a-z]+|nvme\d+n\d+p|mmcblk\d+p)\d+$/;

export function isWholeDisk(name: string): boolean {
  return !NOT_A_DISK.test(name);
}

export function parseDiskstats(
  text: string,
  at: number,
): CounterReading & { problems: LineProblem[] } {
  const counters = new Map<string, readonly [number, number]>();
  const broken: string[] = [];
  const problems: LineProblem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const words = line.trim().split(/\s+/);
    const name = words[2];
    if (name === undefined || parseCounter(words[0]) === undefined) {
      problems.push(lineProblem(i + 1, 'expected "<major> <minor> <device> <counters>"', line));
      continue;
    }
    if (!isWholeDisk(name)) continue;
    const read = parseCounter(words[SECTORS_READ]);
    const written = parseCounter(words[SECTORS_WRITTEN]);
    if (words.length < MIN_WORDS || read === undefined || written === undefined) {
      problems.push(lineProblem(i + 1, `expected ${MIN_WORDS - 3} counters after "${name}"`, line));
      broken.push(name);
      continue;
    }
    counters.set(name, [read * SECTOR_BYTES, written * SECTOR_BYTES]);
  }
  return { at, counters, broken, problems };
}
