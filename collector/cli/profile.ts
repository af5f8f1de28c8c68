/**
 * `osprey profile info|convert|diff` (and `capture`, from profileCapture.ts): profiles on the
 * command line, for scripts, CI and a headless box, through the same importers, writers and diff
 * as the console. A file that cannot be read prints one line naming the file (and the line or
 * byte) on stderr and exits 1; nothing is half-written.
 */
import { InvalidArgumentError, type Command } from 'commander';

import { registerProfileCapture } from './profileCapture.js';
import { ProfileError } from './profileRead.js';

function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
      throw new InvalidArgumentError(`"${value}" is not a count from 1 to 1000000 (${flag})`);
    }
    return n;
  };
}

/** Runs a command's work: its errors are one stderr line and exit code 1. */
async function run(setExit: (code: number) => void, work: () => Promise<string>): Promise<void> {
  try {
    const text = await work();
    process.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
    setExit(0);
  } catch (error) {
    if (!(error instanceof ProfileError)) throw error;
    process.stderr.write(`osprey: ${error.message}\n`);
    setExit(1);
  }
}

export function addProfileCommand(program: Command, setExit: (code: number) => void): Command {
  const profile = program
    .command('profile')
    .description(
      'Read, convert and compare CPU/GPU profiles (folded, perf script, py-spy, speedscope, ' +
        'pprof, Pyroscope, austin, Chrome trace; detected by content).',
    );

  profile
    .command('info')
    .description(
      'Format detected, each profile with unit, total weight and sample count, and the top ' +
        'functions by self weight.',
    )
    .argument('<file>')
    .option('--json', 'print JSON')
    .option('--sample-type <type>', 'pprof and others with several: which sample type to read')
    .option('--top <n>', 'functions listed per profile', positiveInt('--top'), 20)
    .action(async (file: string, opts: { json?: boolean; sampleType?: string; top: number }) => {
      const { profileInfo, formatInfo } = await import('./profileInfo.js');
      await run(setExit, async () => {
        const info = await profileInfo(file, opts);
        return opts.json ? JSON.stringify(info, null, 2) : formatInfo(info);
      });
    });

  profile
    .command('convert')
    .description('Write a profile as folded stacks or as a speedscope file.')
    .argument('<file>')
    .requiredOption('--to <format>', 'folded or speedscope')
    .requiredOption('-o, --output <file>', 'file to write (replaced whole, or left as it was)')
    .option('--sample-type <type>', 'pprof and others with several: which sample type to read')
    .option('--profile <n|name>', 'only this profile of the file (index from 0, or its name)')
    .action(
      async (
        file: string,
        opts: { to: string; output: string; sampleType?: string; profile?: string },
      ) => {
        const { convertProfile } = await import('./profileConvert.js');
        await run(setExit, async () => {
          const r = await convertProfile(file, opts);
          process.stderr.write(
            `wrote ${r.output} (${opts.to}, ${r.profiles} profile${r.profiles === 1 ? '' : 's'}, ${r.bytes} bytes)\n`,
          );
          return '';
        });
      },
    );

  profile
    .command('diff')
    .description(
      'What changed most from profile A to profile B: per function, self and total as shares ' +
        'of each total (points) and absolute, the largest self change first.',
    )
    .argument('<before>')
    .argument('<after>')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'rows to show', positiveInt('--limit'), 20)
    .option('--sample-type <type>', 'pprof and others with several: which sample type to read')
    .option(
      '--profile <n|name>',
      'this profile of each file (default: the only one, or all of the first one’s unit merged)',
    )
    .action(
      async (
        a: string,
        b: string,
        opts: { json?: boolean; limit: number; sampleType?: string; profile?: string },
      ) => {
        const { diffFiles, formatDiff } = await import('./profileDiff.js');
        await run(setExit, async () => {
          const d = await diffFiles(a, b, opts);
          for (const n of d.notes) process.stderr.write(`osprey: ${n}\n`);
          return opts.json ? JSON.stringify(d, null, 2) : formatDiff(d);
        });
      },
    );

  return registerProfileCapture(profile, setExit);
}
