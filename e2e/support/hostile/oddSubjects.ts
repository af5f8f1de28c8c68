/**
 * Subjects a console subscribed to `osprey.v1.>` receives although they are not Osprey subjects,
 * or are but disagree with their bodies: extra and missing tokens, unknown types, empty-looking
 * tokens, markup, bidi and very long tokens. Each must be a counted problem, never a node.
 */
import type { Rng } from '../../../collector/simulator/prng.js';
import { bidiName, markupName } from './names.js';
import { jsonPublication, type Publication } from './publication.js';
import { deviceGrid, metricsOf, type NodeIdentity } from './wire.js';

export function oddSubjects(id: NodeIdentity, now: number, rng: Rng): Publication[] {
  const body = metricsOf(id, now, 7, [deviceGrid(id, rng)]);
  const subjects = [
    `osprey.v1.metrics.${id.cluster}.${id.node}.extra`,
    `osprey.v1.metrics.${id.cluster}`,
    'osprey.v1.telemetry.c.n',
    'osprey.v1.__proto__.c.n',
    'osprey.v1.constructor.c.n',
    `osprey.v1.metrics.${markupName('subject', rng).replace(/[\s.*>]/g, '_')}.n`,
    `osprey.v1.metrics.${bidiName('subject').replace(/\./g, '_')}.n`,
    `osprey.v1.metrics.${'x'.repeat(1000)}.n`,
    `osprey.v1.metrics.c.${'%00'.repeat(20)}`,
    'osprey.v1.metrics.$SYS.n',
    'osprey.v1.inventory.other.impostor',
  ];
  return subjects.map((s) => jsonPublication(s, body, `subject ${s.slice(0, 60)}`));
}
