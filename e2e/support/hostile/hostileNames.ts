/**
 * Valid messages with markup and bidi controls in every name the protocol carries: cluster, node,
 * host facts, device id, UUID, model, driver, metric labels (engine, model), probe messages,
 * event kind, code and text. They pass every schema check, so the console stores and draws them:
 * what it must not do is run them or let them reorder the text around them.
 */
import type { DeviceInfo } from '../../../collector/core/protocol/spec.js';
import type { Rng } from '../../../collector/simulator/prng.js';
import { bidiName, markupName, stableMarkupName } from './names.js';
import type { Publication } from './publication.js';
import {
  deviceGrid,
  eventsOf,
  inventoryOf,
  metricsOf,
  published,
  type NodeIdentity,
} from './wire.js';

/** The node whose every name is hostile; `bidiNode` is findable by its plain prefix. */
export interface HostileNodes {
  markup: NodeIdentity;
  bidi: NodeIdentity;
}

function hostileDevices(
  count: number,
  tag: string,
  rng: Rng,
  name: (t: string) => string,
): DeviceInfo[] {
  return Array.from({ length: count }, (_, index) => ({
    id: name(`${tag}-dev${index}`),
    uuid: name(`${tag}-uuid${index}`),
    vendor: 'nvidia' as const,
    index,
    name: name(`${tag}-model${index}`),
    driver: name(`${tag}-driver`),
    firmware: name(`${tag}-fw`),
    pciBusId: name(`${tag}-pci`),
    memoryTotalBytes: 85_520_809_984,
  }));
}

export function hostileNodes(seed: number, rng: Rng): HostileNodes {
  return {
    markup: {
      cluster: stableMarkupName(seed, 'cluster'),
      node: markupName('node', rng),
      devices: hostileDevices(2, 'm', rng, (t) => stableMarkupName(seed, t)),
    },
    bidi: {
      cluster: bidiName('cluster'),
      node: bidiName('node'),
      devices: hostileDevices(2, 'b', rng, bidiName),
    },
  };
}

/** Inventory, metrics (device grid + engine samples with hostile labels) and an event, per node. */
export function hostileNamePublications(
  seed: number,
  nodes: HostileNodes,
  now: number,
  seq: number,
  rng: Rng,
): Publication[] {
  const out: Publication[] = [];
  for (const [kind, id] of Object.entries(nodes) as Array<[string, NodeIdentity]>) {
    const name = kind === 'bidi' ? bidiName : (t: string) => stableMarkupName(seed, t);
    const inv = inventoryOf(id, now, seq);
    inv.host = {
      ...inv.host,
      hostname: name('host'),
      os: name('os'),
      kernel: name('kernel'),
      cpuModel: name('cpu'),
    };
    inv.probes = [
      { probe: name('probe'), state: 'degraded', message: name('probe-message'), since: now },
    ];
    out.push(published(inv, `inventory with ${kind} names`));
    const metrics = metricsOf(id, now, seq, [deviceGrid(id, rng)]);
    const labels = { engine: name('engine'), model: name('served-model'), framework: name('fw') };
    metrics.samples = [
      { m: 'engine.requests.running', v: 3, l: labels },
      { m: 'engine.kv_cache.usage', v: 42, l: labels },
      { m: 'host.network.receive', v: 1, l: { interface: name('eth') } },
      { m: 'device.power', v: null, d: id.devices[0]!.id, s: 'error', raw: name('raw') },
    ];
    out.push(published(metrics, `metrics with ${kind} labels`));
    const events = eventsOf(id, now, seq, name('event-message'), name('kind'));
    events.events[0]!.code = name('code').slice(0, 64);
    out.push(published(events, `an event with ${kind} text`));
  }
  return out;
}
