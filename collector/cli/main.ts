/**
 * `osprey` command line: serve (collector + console), collect (one-shot or streaming JSON),
 * schema (the wire protocol's JSON Schemas).
 */
import { readFileSync } from 'node:fs';

import { Command, CommanderError, Option } from 'commander';

import { runCollect } from './collect.js';
import { CliError } from './buildCollector.js';
import { addDiagnoseCommand } from './diagnose.js';
import { addNatsFlags, parseByteSize, parseStreamAge, parseStreamBytes } from './natsFlags.js';
import {
  parseAllowHost,
  parseInterval,
  parsePort,
  parseReplay,
  type ReplaySpec,
} from './options.js';
import { addProfileCommand } from './profile.js';
import { runServe } from './serve.js';
import { addSimulateCommand } from './simulate.js';

export const DEFAULT_PORT = 7420;

function replayOption(): Option {
  return new Option(
    '--replay <tool=file>',
    'answer a tool from a recorded capture instead of running it (nvidia-smi=FILE: a --format=csv ' +
      'capture with header; npu-smi=FILE: concatenated `npu-smi info` outputs; kmsg=FILE: a kernel ' +
      'log (dmesg, journalctl -k, /dev/kmsg records) read instead of /dev/kmsg); repeatable',
  )
    .argParser(parseReplay)
    .default([] as ReplaySpec[], 'none');
}

/** dist/collector/cli/main.js → package.json */
function packageVersion(): string {
  const url = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('osprey')
    .description('Osprey: live GPU/NPU and LLM-engine telemetry for inference clusters.')
    .version(packageVersion(), '-V, --version', 'print the Osprey version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const serve = program
    .command('serve')
    .description(
      'Run the collector and serve /metrics, the live stream and the web console; with --nats, ' +
        'also publish to NATS as a node agent.',
    )
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option(
      '--allow-host <name>',
      'one more Host name the console, /api and /stream answer to (repeatable)',
      parseAllowHost,
      [],
    )
    .option('--port <port>', 'TCP port (0 picks a free one)', parsePort, DEFAULT_PORT)
    .addOption(
      new Option(
        '--token <token>',
        'token the console must present on /stream (default: random)',
      ).env('OSPREY_TOKEN'),
    )
    .addOption(
      new Option(
        '--exit-with-stdin',
        'stop when standard input closes (for a parent process)',
      ).hideHelp(),
    )
    .option('--interval <ms>', 'sampling interval in milliseconds', parseInterval, 1000)
    .option('--no-ui', 'do not serve the web console (headless node agent)')
    .option('--node <name>', 'node name reported in messages and labels (default: hostname)')
    .option('--cluster <name>', 'cluster name reported in messages and NATS subjects', 'default')
    .option(
      '--config-dir <dir>',
      'where the web console keeps its cluster connections (default: ~/.config/osprey)',
    )
    .option('--record <file>', "record this collector's own messages to a snapshot file (MCAP)")
    .option('--snapshot <file>', 'offer a snapshot file (MCAP) to the console, which opens it')
    .option(
      '--allow-profiling',
      "with --nats: capture CPU profiles (py-spy, perf) of this node's processes when a console asks",
    )
    .addOption(replayOption());
  addNatsFlags(serve)
    .option(
      '--nats-buffer <size>',
      'held while NATS is unreachable, then the oldest metrics are dropped (default 8MiB)',
      parseByteSize,
    )
    .option(
      '--events-max-age <time>',
      'with JetStream: how long the stream OSPREY_EVENTS keeps events, when this agent creates it (default 7d)',
      parseStreamAge,
    )
    .option(
      '--events-max-bytes <size>',
      'with JetStream: the size of OSPREY_EVENTS, oldest events dropped beyond it, when this agent creates it (default 256MiB)',
      parseStreamBytes,
    )
    .option(
      '--no-events-history',
      'publish events on NATS core only: do not create or use the JetStream stream OSPREY_EVENTS',
    )
    .action(async (opts) => setExit(await runServe({ ...opts, version: packageVersion() })));

  program
    .command('collect')
    .description('Probe this machine and print inventory + metrics.')
    .option('--once', 'print one document and exit (otherwise one line per interval)')
    .option('--json', 'print JSON (default: a readable summary)')
    .option('--interval <ms>', 'sampling interval in milliseconds', parseInterval, 1000)
    .addOption(replayOption())
    .action(async (opts) => setExit(await runCollect(opts)));

  addSimulateCommand(program, setExit);

  const record = program
    .command('record')
    .description(
      'Record a cluster from NATS to a snapshot file (MCAP): until --duration or Ctrl-C, or with ' +
        '--ring keep the last minutes in memory and write them on SIGUSR1 or on a message to ' +
        'osprey.v1.control.<cluster>.snapshot (one file per request, named FILE-<time>).',
    )
    .requiredOption('--cluster <name>', 'cluster to record (`*`: every cluster)')
    .option('--nodes <glob>', 'only these nodes: `*` and `?` wildcards, comma-separated')
    .option('--duration <time>', 'stop after this long (e.g. 10m, 90s, 1h)')
    .option('--ring <time>', 'keep the last <time> (e.g. 30m) instead of writing everything')
    .option('--ring-max <size>', 'memory the ring may hold (default 1GiB)', parseByteSize)
    .option('--redact', 'replace node names, hostnames and IPs by stable aliases')
    .requiredOption('-o, --output <file>', 'snapshot file to write (.mcap)');
  addNatsFlags(record).action(async (opts) =>
    setExit(await (await import('./record.js')).runRecord(opts, { version: packageVersion() })),
  );

  const snapshot = program.command('snapshot').description('Read snapshot files (MCAP).');
  snapshot
    .command('info')
    .description(
      'Time range, nodes, devices, message counts, size, and whether the file is complete.',
    )
    .argument('<file>')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) =>
      setExit(await (await import('./snapshot.js')).runSnapshotInfo(file, opts)),
    );
  snapshot
    .command('export')
    .description(
      'Export the numbers: csv (one metric sample a line: time, node, device, metric, labels, ' +
        'value, status) or ndjson (every message with its receipt time).',
    )
    .argument('<file>')
    .requiredOption('--format <format>', 'csv or ndjson')
    .option('-o, --output <file>', 'write here instead of standard output')
    .action(async (file: string, opts: { format: string; output?: string }) =>
      setExit(await (await import('./snapshot.js')).runSnapshotExport(file, opts)),
    );

  addProfileCommand(program, setExit);
  addDiagnoseCommand(program, setExit);

  program
    .command('schema')
    .description('Print the JSON Schemas of the wire protocol (all, or one message type).')
    .argument('[type]', 'inventory, metrics or events')
    // Loaded when asked for: the schemas need TypeBox, which `osprey serve` does not (~20 MB RSS).
    .action(async (type?: string) => setExit((await import('./schema.js')).runSchema(type)));

  return program;
}

/** Runs the CLI and resolves with the process exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      process.stderr.write(`osprey: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
