/**
 * Everything the shell needs for cluster connections, in one hook: the sidebar's part (entries,
 * selection, add and edit), the page of the selected connection, and the dialog when it is open.
 * The shell stays a frame; "This machine" is selected whenever no cluster is.
 */
import { useMemo, useState, type ReactNode } from 'react';

import type { ConnectionConfig } from '../../../collector/core/connections/schema.js';
import type { ConnectionInput, ConnectionSummary, Platform } from '../platform/Platform.js';
import { readNavigation, writeNavigation } from '../shell/navigation/location.js';
import { useNavigationSync } from '../shell/navigation/useNavigation.js';
import type { SidebarProps } from '../shell/Sidebar.js';
import { createPrometheusSource } from '../sources/prometheus/PrometheusSource.js';
import type { NatsSourceFactory, PrometheusFleetSourceFactory } from '../sources/SourceFactory.js';
import { ClusterMain } from './ClusterMain.js';
import { ConnectionDialog } from './ConnectionDialog.js';
import { connectionDetail } from './connectionDetail.js';
import type { ConnectionManager } from './ConnectionManager.js';
import { testConnection, testSecret } from './testConnection.js';
import { testPrometheus } from './testPrometheus.js';
import { useConnections } from './useConnections.js';
import './connections.css';

export const LOCAL_ID = 'local';

export interface ClusterNav {
  sidebar: Omit<SidebarProps, 'connections'>;
  /** The selected cluster's page; undefined while "This machine" is selected. */
  main: ReactNode;
  dialog: ReactNode;
}

export function useClusterNav(
  platform: Platform,
  nats: NatsSourceFactory,
  prometheusFleet?: PrometheusFleetSourceFactory,
): ClusterNav {
  const { manager, snapshot } = useConnections(platform, nats, prometheusFleet);
  // The URL's connection until the list arrives; an id it does not hold shows this machine.
  const [selected, setSelectedState] = useState(() => readNavigation().conn ?? LOCAL_ID);
  const setSelected = (id: string) => {
    // Written before the page changes, so the new connection's page does not open the old
    // one's device drawer from the URL.
    if (id !== selected) writeNavigation({ conn: id, node: undefined, device: undefined });
    setSelectedState(id);
  };
  useNavigationSync({ conn: selected === LOCAL_ID ? undefined : selected });
  const [dialog, setDialog] = useState<{ id?: string }>();
  const find = (id: string | undefined) => snapshot.connections.find((c) => c.config.id === id);
  const active = find(selected);
  const editing = find(dialog?.id)?.config;
  const prometheusUrl = active?.config.prometheus?.url;
  // One source per connection (and URL): react-query keys by connection, so nothing else to keep.
  const prometheus = useMemo(
    () =>
      active && prometheusUrl ? createPrometheusSource(platform, active.config.id) : undefined,
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-made when the connection or URL changes
    [platform, active?.config.id, prometheusUrl],
  );

  return {
    sidebar: {
      // A connection removed meanwhile falls back to this machine.
      activeId: active ? selected : LOCAL_ID,
      clusters: snapshot.connections.map((c) => ({
        id: c.config.id,
        name: c.config.name,
        detail: connectionDetail(c.config),
        source: c.source,
      })),
      ...(snapshot.error === undefined
        ? {}
        : { clustersError: `cluster connections unavailable: ${snapshot.error}` }),
      onSelect: setSelected,
      onAdd: () => setDialog({}),
      onEdit: (id) => setDialog({ id }),
    },
    main: active ? (
      <ClusterMain
        key={`cluster:${active.config.id}`}
        connection={active}
        prometheus={prometheus}
        save={(name, bytes) => platform.saveFile(name, bytes)}
        onEdit={() => setDialog({ id: active.config.id })}
      />
    ) : undefined,
    dialog: dialog ? (
      <ConnectionDialog
        key={`dialog:${dialog.id ?? 'new'}`}
        {...(editing ? { editing } : {})}
        onSave={async (input) => {
          const saved = await manager.save(input, editing?.id);
          setSelected(saved.id);
          setDialog(undefined);
        }}
        onTest={(input) => runTest(manager, input, editing)}
        onTestPrometheus={(input) => testPrometheus(platform, input)}
        {...(editing
          ? {
              onRemove: async () => {
                await manager.remove(editing.id);
                setDialog(undefined);
              },
            }
          : {})}
        onClose={() => setDialog(undefined)}
      />
    ) : undefined,
  };
}

function runTest(manager: ConnectionManager, input: ConnectionInput, editing?: ConnectionSummary) {
  const { secret: _secret, ...fields } = input;
  const config: ConnectionConfig = { id: editing?.id ?? 'test', ...fields };
  // No new secret typed: the stored one, for the URL it was stored with only.
  const secret = testSecret(input, editing, (id) => manager.storedSecret(id));
  if (!secret.ok) return Promise.resolve({ ok: false, message: secret.message });
  return testConnection(config, secret.secret, {
    createSource: (c, s) => manager.factory.create({ config: c, secret: s }),
  });
}
