/**
 * Every view the shell can show, by id: how each is drawn from what a page hands it. The shell
 * renders the registry (ViewTabs.tsx); views know nothing of one another or of the tabs, and a new
 * view (flame graphs, diagnosis) is one entry here.
 */
import type { ReactNode } from 'react';

import type { PrometheusSource } from '../../sources/prometheus/PrometheusSource.js';
import type { PresenceState } from '../../sources/Source.js';
import type { LiveStoreSnapshot } from '../../store/LiveStore.js';
import { EnginesView } from '../../views/engines/EnginesView.js';
import { FleetView } from '../../views/fleet/FleetView.js';
import { HealthView } from '../../views/health/HealthView.js';
import { HostView } from '../../views/host/HostView.js';
import { LatencyView } from '../../views/latency/LatencyView.js';
import { NoPrometheus } from '../../views/latency/NoPrometheus.js';
import { ProfilesView } from '../../views/profiles/ProfilesView.js';
import type { ProfilesPort } from '../../profiles/profilesContext.js';
import type { ViewId } from './viewsFor.js';

/** What a page hands every view. */
export interface ViewContext {
  /** The page's store at its current version: a new object means new data. */
  live: LiveStoreSnapshot;
  presence: PresenceState;
  /** What the source says about its presence ("Prometheus holds no DCGM … series"). */
  presenceMessage?: string | undefined;
  /** The connection's Prometheus, when it has one: Latency and the drawer's history. */
  prometheus?: PrometheusSource | undefined;
  /** The page plays a recording: nothing is marked live (the Latency view's NATS edge is off). */
  recorded?: boolean | undefined;
  /** Opens the connection's settings (Latency without a Prometheus says how to add one). */
  onEdit?: (() => void) | undefined;
  /** Shows another view, for a view that points elsewhere ("see Host"). */
  openView: (id: ViewId) => void;
  /** The console's profile list and file calls (App.tsx), for the Profiles view. */
  profiles?: ProfilesPort | undefined;
  /** Whose acknowledge/resolve marks the Health view keeps: the connection's id. */
  connectionId?: string | undefined;
  /** The incident a notice's link asked the Health view to show. */
  healthFocus?: { key: string; seq: number } | undefined;
}

/** Marks of a page without a connection (an opened recording) are kept under this id. */
const RECORDING_MARKS = 'recording';

export const VIEW_REGISTRY: Readonly<Record<ViewId, (ctx: ViewContext) => ReactNode>> = {
  fleet: (ctx) => (
    <FleetView
      live={ctx.live}
      presence={ctx.presence}
      presenceMessage={ctx.presenceMessage}
      // A recording's Prometheus answers are what its Latency view asked; the drawer's history
      // queries were rarely among them, and the recording itself is the drawer's chart.
      prometheus={ctx.recorded ? undefined : ctx.prometheus}
      onShowHost={() => ctx.openView('host')}
      onShowHealth={() => ctx.openView('health')}
    />
  ),
  health: (ctx) => (
    <HealthView
      live={ctx.live}
      presence={ctx.presence}
      connectionId={ctx.connectionId ?? RECORDING_MARKS}
      focus={ctx.healthFocus}
      // As the drawer: a recording's answers are its Latency view's, not these.
      prometheus={ctx.recorded ? undefined : ctx.prometheus}
    />
  ),
  engines: (ctx) => <EnginesView live={ctx.live} presence={ctx.presence} />,
  host: (ctx) => <HostView live={ctx.live} />,
  latency: (ctx) =>
    ctx.prometheus ? (
      <LatencyView
        source={ctx.prometheus}
        clock={ctx.live.store.clock}
        {...(ctx.presence === 'live' && !ctx.recorded ? { live: ctx.live } : {})}
      />
    ) : (
      <NoPrometheus {...(ctx.onEdit ? { onEdit: ctx.onEdit } : {})} />
    ),
  profiles: (ctx) => <ProfilesView port={ctx.profiles} clock={ctx.live.store} />,
};
