/**
 * A simulated cluster for specs: `osprey simulate` on a real nats-server, and a connection to it
 * saved through the console's own API (as the dialog saves one).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import type { ServedConsole } from './osprey.js';

const OSPREY = fileURLToPath(new URL('../../collector/bin/osprey.js', import.meta.url));

export interface SimulatorOptions {
  /** nats://… of the server to publish to. */
  natsUrl: string;
  nodes: number;
  devicesPerNode: number;
  rate?: number;
  seed?: number;
  /** How often inventories repeat, e.g. '5s' (a console that subscribes later learns the nodes). */
  inventoryEvery?: string;
  faults?: string;
}

/** Starts the simulator (its stderr piped for the spec to read); the spec stops it. */
export function spawnSimulator(opts: SimulatorOptions): ChildProcess {
  const args = [
    OSPREY,
    'simulate',
    '--nats',
    opts.natsUrl,
    '--nodes',
    String(opts.nodes),
    '--devices-per-node',
    String(opts.devicesPerNode),
    '--rate',
    String(opts.rate ?? 2),
    '--seed',
    String(opts.seed ?? 1),
    '--inventory-every',
    opts.inventoryEvery ?? '5s',
  ];
  if (opts.faults !== undefined) args.push('--faults', opts.faults);
  args.push('--no-stdin');
  return spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** POSTs a NATS connection (no auth unless given) to the console's API; returns the answer. */
export function saveConnection(
  served: ServedConsole,
  config: { name: string; natsUrl: string } & Record<string, unknown>,
): Promise<Response> {
  return fetch(`${served.origin}/api/connections`, {
    method: 'POST',
    headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'nats', auth: 'none', ...config }),
  });
}
