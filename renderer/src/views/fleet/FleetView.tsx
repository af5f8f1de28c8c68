/**
 * The devices of a source, one machine or a fleet: summary, heatmap of nodes × devices with its
 * options, the drawer of the device the user picked, every value as text where there are few
 * enough devices to read them (a workstation), the events, and where the collector looked when it
 * found no accelerator. Reads the store only; the heatmap repaints from it directly, the rest
 * re-renders with `live` (a few times a second).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import { useLiveStore } from '../../hooks/useLiveStore.js';
import { useEvery } from '../../hooks/useEvery.js';
import { useStoreClock } from '../../hooks/useStoreClock.js';
import { deviceDiagnoses } from '../../lib/diagnoses.js';
import { formatValue } from '../../lib/format.js';
import { readNavigation } from '../../shell/navigation/location.js';
import { useNavigationSync } from '../../shell/navigation/useNavigation.js';
import type { NavState } from '../../shell/navigation/fragment.js';
import type { PrometheusSource } from '../../sources/prometheus/PrometheusSource.js';
import type { PresenceState } from '../../sources/Source.js';
import type { LiveStore, LiveStoreSnapshot } from '../../store/LiveStore.js';
import { count, storeLimitsText } from './count.js';
import { DeviceDrawer } from './DeviceDrawer.js';
import { DeviceTable } from './DeviceTable.js';
import { EventList } from './EventList.js';
import { FEW_DEVICES } from './fleetGeometry.js';
import { FleetHeatmap } from './FleetHeatmap.js';
import { FleetLegend } from './FleetLegend.js';
import { colourable } from './deviceStates.js';
import { fleetScale } from './fleetScale.js';
import { metricsWithData, metricUnit } from './fleetMetrics.js';
import { NoDevices } from './NoDevices.js';
import { nodesOnScreen } from './onScreen.js';
import { prepareDeviceTable } from './prepareDeviceTable.js';
import { prepareEvents } from './prepareEvents.js';
import { FleetSummaryBar } from './FleetSummaryBar.js';
import { FleetToolbar } from './FleetToolbar.js';
import { prepareDeviceDrawer } from './prepareDeviceDrawer.js';
import { prepareFleetLayout } from './prepareFleetLayout.js';
import { prepareFleetSummary } from './prepareFleetSummary.js';
import type { FleetCell, FleetFilter, FleetOptions } from './types.js';
import './fleet.css';

export interface FleetViewProps {
  /** The store at its current version: a new object means new data. */
  live: LiveStoreSnapshot;
  presence: PresenceState;
  /** The source's own word on it, shown while nothing has arrived ("holds no DCGM … series"). */
  presenceMessage?: string | undefined;
  /** The connection's Prometheus, for device history in the drawer. */
  prometheus?: PrometheusSource | undefined;
  /** Shows the Host view (offered beside "no accelerator found"). */
  onShowHost?: (() => void) | undefined;
  /** Shows the Health view (the drawer's diagnoses link there); absent: no link. */
  onShowHealth?: (() => void) | undefined;
}

/**
 * Sorting by value or health and filtering by health move rows as values change; re-laying out
 * every few seconds, not on every update, keeps rows where the eye left them.
 */
const RELAYOUT_MS = 5000;

/**
 * A fleet that keeps growing (nodes connecting, or a flood of new ones let in by the connection's
 * admission limit) is laid out again at most this often: at 1,600 nodes × 8 devices a layout with
 * its geometry and metric list costs 60–170 ms on a busy 2-core machine, which on every update
 * (4 a second) kept the page in long tasks.
 */
const SHAPE_SETTLE_MS = 1000;

/**
 * How long a drawer named by the URL waits for its device: ten publications at the collector's
 * usual 1 s interval (collector/cli/options.ts allows up to 60 s; such a node's link closes).
 */
const LINK_WAIT_MS = 10_000;

const INITIAL: FleetOptions = {
  metric: 'device.utilization',
  group: 'none',
  sort: 'node',
  filter: {},
};

/** The toolbar's options the URL names, over the defaults (fragment.ts checked each value). */
function optionsFrom(nav: NavState): FleetOptions {
  const filter: FleetOptions['filter'] = {};
  // The vendor is an id the toolbar offers; one it does not know matches no device, shown as such.
  if (nav.vendor !== undefined) filter.vendor = nav.vendor as NonNullable<FleetFilter['vendor']>;
  if (nav.model !== undefined) filter.model = nav.model;
  // A link from before the one severity vocabulary says `alarm` for what is now `error`.
  if (nav.health !== undefined) filter.health = nav.health === 'alarm' ? 'error' : nav.health;
  if (nav.q !== undefined) filter.search = nav.q;
  return {
    // A state without categories (the performance state) is no colour, whatever a link says.
    metric: nav.color !== undefined && colourable(nav.color) ? nav.color : INITIAL.metric,
    group: nav.group ?? INITIAL.group,
    sort: nav.sort ?? INITIAL.sort,
    filter,
  };
}

export function FleetView({
  live,
  presence,
  presenceMessage,
  prometheus,
  onShowHost,
  onShowHealth,
}: FleetViewProps) {
  const { store } = live;
  const now = useStoreClock(store);
  const [options, setOptions] = useState<FleetOptions>(() => optionsFrom(readNavigation()));
  const [selected, setSelected] = useState<{ node: string; device: string } | undefined>(() => {
    const { node, device } = readNavigation();
    return node !== undefined && device !== undefined ? { node, device } : undefined;
  });
  useNavigationSync({
    color: options.metric === INITIAL.metric ? undefined : options.metric,
    group: options.group === INITIAL.group ? undefined : options.group,
    sort: options.sort === INITIAL.sort ? undefined : options.sort,
    vendor: options.filter.vendor,
    model: options.filter.model,
    health: options.filter.health,
    q: options.filter.search,
    node: selected?.node,
    device: selected?.device,
  });
  const [{ range, relative }, setScale] = useState<{ range: [number, number]; relative: boolean }>({
    range: [0, 100],
    relative: false,
  });
  const onRange = useCallback(
    (r: [number, number], rel: boolean) => setScale({ range: r, relative: rel }),
    [],
  );
  const relayout = useEvery(RELAYOUT_MS);

  // What changes the layout's shape: nodes, inventories and reported devices (cheap to read).
  const nodes = store.nodes();
  let devices = 0;
  for (const s of nodes) {
    devices += s.devices.length + s.lostDevices.length + store.reportedDevices(s.node).length;
    if (s.hasInventory) devices += 1e6;
  }
  const shape = useThrottled(`${nodes.length}:${devices}`, SHAPE_SETTLE_MS);
  const moving =
    options.sort === 'value' ||
    options.sort === 'health' ||
    options.group === 'health' ||
    options.filter.health !== undefined;
  const relayoutKey = moving ? relayout : 0;
  const layout = useMemo(
    () => prepareFleetLayout(store, options),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-laid out on shape, options, and the relayout clock
    [store, options, shape, relayoutKey],
  );
  // Once a second (with `now`), not on every update: 4,096 devices × 5 reads is not free.
  const summary = useMemo(
    () => prepareFleetSummary(store, now, presence === 'live'),
    [store, now, presence],
  );
  const metrics = useMemo(
    () => metricsWithData(store),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- new metrics appear with new shapes
    [store, shape, relayout],
  );
  const models = useMemo(
    () => [...new Set(nodes.flatMap((n) => n.devices.map((d) => d.name)))].sort(),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- models change with the shape only
    [shape],
  );
  // What is drawn stays in the store: a full budget evicts other nodes, or refuses new ones.
  const selectedNode = selected?.node;
  useEffect(() => {
    store.retain(nodesOnScreen(layout, selectedNode));
  }, [store, layout, selectedNode]);
  useEffect(() => () => store.retain([]), [store]);
  const onSelect = useCallback((cell: FleetCell) => {
    setSelected({ node: cell.node, device: cell.device.id });
  }, []);
  const close = useCallback(() => setSelected(undefined), []);
  const onSelectRow = useCallback((node: string, device: string) => {
    setSelected({ node, device });
  }, []);
  // A workstation or a few nodes (8 × 8 GPUs): every value also as text, readable and copyable
  // without hovering. Past that the table is longer than the screen; the heatmap reads a fleet.
  const few = layout.totalDevices > 0 && layout.totalDevices <= FEW_DEVICES;
  const rows = useMemo(
    () => (few ? prepareDeviceTable(live.store, now, layout) : []),
    [live, now, few, layout],
  );
  const events = useMemo(() => prepareEvents(live.store), [live]);
  // Diagnoses arrive as events; the map is cached per events list (lib/diagnoses.ts).
  const diagnoses = deviceDiagnoses(store);
  const badgeSeverities = useMemo(
    () =>
      (['critical', 'error', 'warning'] as const).filter((sev) =>
        [...diagnoses.values()].some((list) => list[0]!.severity === sev),
      ),
    [diagnoses],
  );
  const scale = fleetScale(options.metric);
  const unit = metricUnit(options.metric);
  const rangeText: [string, string] = [formatValue(range[0], unit), formatValue(range[1], unit)];

  // Every node answered with its inventory and none has a GPU or NPU: say where the tools looked.
  if (layout.totalDevices === 0 && nodes.length > 0 && nodes.every((n) => n.hasInventory)) {
    return (
      <div className="fleet">
        <NoDevices
          probes={nodes.flatMap((n) => n.probes.map((p) => ({ ...p, node: n.node })))}
          nodes={nodes.length}
          onShowHost={onShowHost}
        />
        {events.length > 0 ? <EventList rows={events} showNode={nodes.length > 1} /> : null}
      </div>
    );
  }
  if (layout.totalNodes === 0) {
    return (
      <div className="fleet">
        <div className="panel placeholder fleet-waiting">
          Waiting for the first messages…
          {presenceMessage ? <div className="fleet-waiting-why">{presenceMessage}</div> : null}
        </div>
      </div>
    );
  }
  const shown =
    layout.matching === layout.totalDevices
      ? `${count(layout.totalDevices, 'device')} on ${count(layout.totalNodes, 'node')}`
      : `${layout.matching.toLocaleString('en')} of ${count(layout.totalDevices, 'device')} match, on ${count(layout.nodes, 'node')}`;

  const dropped = storeLimitsText(store.problems());
  return (
    <div className={selected ? 'fleet with-drawer' : 'fleet'}>
      <FleetSummaryBar summary={summary} />
      <section className="panel" aria-labelledby="fleet-title">
        <header className="panel-header">
          <h2 id="fleet-title">Devices</h2>
          <span className="panel-meta" data-testid="fleet-count">
            {shown}
          </span>
          {layout.withoutInventory > 0 ? (
            <span className="panel-meta">
              · {count(layout.withoutInventory, 'node')} waiting for inventory
            </span>
          ) : null}
          {dropped ? (
            <span className="panel-meta dropped" data-testid="dropped-samples">
              · {dropped}
            </span>
          ) : null}
          <div className="spacer" />
          <FleetLegend
            categories={scale.kind === 'categorical' ? scale.categorical.categories : undefined}
            relative={relative}
            rangeText={rangeText}
            badges={badgeSeverities}
          />
        </header>
        <FleetToolbar options={options} metrics={metrics} models={models} onChange={setOptions} />
        <div className="panel-body">
          {layout.sections.length === 0 ? (
            <div className="placeholder">No device matches these filters.</div>
          ) : (
            <FleetHeatmap
              store={store}
              layout={layout}
              metric={options.metric}
              presence={presence}
              now={now}
              selected={selected}
              onSelect={onSelect}
              onRange={onRange}
              diagnoses={diagnoses}
            />
          )}
        </div>
      </section>
      {rows.length > 0 ? (
        <section className="panel" aria-labelledby="device-table-title">
          <header className="panel-header">
            <h2 id="device-table-title">Device values</h2>
          </header>
          <div className="panel-body table-body">
            <DeviceTable rows={rows} showNode={nodes.length > 1} onSelect={onSelectRow} />
          </div>
        </section>
      ) : null}
      {events.length > 0 ? <EventList rows={events} showNode={nodes.length > 1} /> : null}
      {selected ? (
        <DrawerContainer
          store={store}
          selected={selected}
          presence={presence}
          onClose={close}
          prometheus={prometheus}
          onOpenHealth={onShowHealth}
        />
      ) : null}
    </div>
  );
}

/**
 * `value`, changing at most once every `ms`: the first change shows at once, later ones wait out
 * the rest of the period, and the newest value wins.
 */
function useThrottled<T>(value: T, ms: number): T {
  const [held, setHeld] = useState(value);
  const last = useRef(Number.NEGATIVE_INFINITY);
  useEffect(() => {
    if (Object.is(value, held)) return undefined;
    const take = () => {
      last.current = performance.now();
      setHeld(value);
    };
    const wait = last.current + ms - performance.now();
    if (wait <= 0) {
      take();
      return undefined;
    }
    const id = setTimeout(take, wait);
    return () => clearTimeout(id);
  }, [value, held, ms]);
  return held;
}

/** The drawer re-reads the store once a second: twelve charts need no more. */
function DrawerContainer({
  store,
  selected,
  presence,
  onClose,
  prometheus,
  onOpenHealth,
}: {
  store: LiveStore;
  selected: { node: string; device: string };
  presence: PresenceState;
  onClose: () => void;
  prometheus: PrometheusSource | undefined;
  onOpenHealth: (() => void) | undefined;
}) {
  const live = useLiveStore(store, 1000);
  const now = useStoreClock(store);
  const model = useMemo(
    () => prepareDeviceDrawer(live.store, selected.node, selected.device, now, presence),
    [live, selected, now, presence],
  );
  // A device that was shown and is gone closes the drawer. One named by a link (a reload) waits
  // for its node to report into the new store, for up to LINK_WAIT_MS.
  const shown = useRef(false);
  useEffect(() => {
    if (model) shown.current = true;
    else if (shown.current) onClose();
  }, [model, onClose]);
  useEffect(() => {
    const timer = setTimeout(() => {
      if (!shown.current) onClose();
    }, LINK_WAIT_MS);
    return () => clearTimeout(timer);
  }, [onClose]);
  return model ? (
    <DeviceDrawer
      model={model}
      onClose={onClose}
      prometheus={prometheus}
      now={now}
      onOpenHealth={onOpenHealth}
    />
  ) : null;
}
