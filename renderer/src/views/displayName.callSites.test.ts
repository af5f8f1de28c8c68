/**
 * Names from the wire reach the screen through these prepare functions; a right-to-left override
 * (U+202E) or a zero-width space in a node, device, model or label must come out escaped
 * (lib/displayName.ts), while the raw name stays the key the store and the filters use.
 */
import { describe, expect, it } from 'vitest';

import type { DeviceInfo } from '../../../collector/core/protocol/spec.js';
import { LiveStore } from '../store/LiveStore.js';
import { events, inventory, metrics } from '../testing/messages.js';
import { describeCell } from './fleet/describeCell.js';
import { prepareFleetLayout } from './fleet/prepareFleetLayout.js';
import { instanceOptions } from './latency/instances.js';
import { describeProbe } from './fleet/describeProbe.js';
import { prepareDeviceTable } from './fleet/prepareDeviceTable.js';
import { prepareEvents } from './fleet/prepareEvents.js';

const RLO = '\u202E';
const NODE = `gpu${RLO}exe.doc`;
const SHOWN_NODE = 'gpu\\u202Eexe.doc';
const DEVICE: DeviceInfo = {
  id: 'GPU-1',
  uuid: 'GPU-\u200B1',
  vendor: 'nvidia',
  index: 0,
  name: `H100${RLO}evil`,
};

function store(): LiveStore {
  const s = new LiveStore();
  s.ingest({
    receivedAt: 1000,
    messages: [
      inventory([DEVICE], [{ probe: 'nvidia-smi', state: 'ok', since: 0 }], { node: NODE }),
      metrics(1000, [{ m: 'device.utilization', v: 50, d: DEVICE.id }], { node: NODE }),
      events(
        1000,
        [
          {
            ts: 1000,
            kind: `xid${RLO}`,
            severity: 'error',
            message: `fault on ${RLO}GPU`,
            d: 'x\u2066',
          },
        ],
        NODE,
      ),
    ],
  });
  return s;
}

describe('names drawn by the views are escaped', () => {
  it('device table: model name and UUID', () => {
    const [row] = prepareDeviceTable(store(), 1000);
    expect(row).toMatchObject({ node: NODE, name: 'H100\\u202Eevil', uuid: 'GPU-\\u200B1' });
  });

  it('event list: kind, message and an unknown device id', () => {
    const [row] = prepareEvents(store());
    expect(row).toMatchObject({
      kind: 'xid\\u202E',
      message: 'fault on \\u202EGPU',
      device: 'x\\u2066',
    });
  });

  it('fleet heatmap: model section titles and the cell description', () => {
    const s = store();
    const layout = prepareFleetLayout(s, {
      metric: 'device.utilization',
      group: 'model',
      sort: 'node',
      filter: {},
    });
    const section = layout.sections[0]!;
    expect(section).toMatchObject({ key: `H100${RLO}evil`, title: 'H100\\u202Eevil' });
    const cell = section.rows[0]!.cells[0]!;
    expect(cell.node).toBe(NODE);
    const description = describeCell(s, cell, 'device.utilization', 1000, 'live');
    expect(description.lines.slice(0, 3)).toEqual([
      `${SHOWN_NODE} · GPU 0`,
      'H100\\u202Eevil',
      'GPU-\\u200B1',
    ]);
  });

  it('probe lines: probe name and message', () => {
    expect(
      describeProbe({ probe: `p${RLO}`, state: 'error', message: `bad${RLO}`, since: 0 }),
    ).toEqual({ name: 'p\\u202E', detail: 'bad\\u202E' });
  });

  it('latency instance choices: the label, not the id the query uses', () => {
    const [option] = instanceOptions([
      { instance: `10.0.0.1${RLO}:8000` },
      { instance: '10.0.0.2:8000' },
    ]);
    expect(option).toMatchObject({
      id: `instance=10.0.0.1${RLO}:8000`,
      label: '10.0.0.1\\u202E:8000',
    });
  });
});
