/**
 * Everything the shell needs for cluster connections, in one hook: the sidebar's part (entries,
 * selection, add and edit), the page of the selected connection, and the dialog when it is open.
 * The shell stays a frame; "This machine" is selected whenever no cluster is.
 */
import { useState, type ReactNode } from 'react';

import type { ConnectionConfig } from '../../../collector/core/connections/schema.js';
import type { ConnectionInput, ConnectionSummary, Platform } from '../platform/Platform.js';
import type { SidebarProps } from '../shell/Sidebar.js';
import { createNatsSource } from '../sources/NatsSource.js';
import { ClusterMain } from './ClusterMain.js';
import { ConnectionDialog } from './ConnectionDialog.js';
import type { ConnectionManager } from './ConnectionManager.js';
import { testConnection } from './testConnection.js';
import { useConnections } from './useConnections.js';
import './connections.css';

export const LOCAL_ID = 'local';

export interface ClusterNav {
  sidebar: Omit<SidebarProps, 'connections'>;
  /** The selected cluster's page; undefined while "This machine" is selected. */
  main: ReactNode;
  dialog: ReactNode;
}

export function useClusterNav(platform: Platform): ClusterNav {
  const { manager, snapshot } = useConnections(platform);
  const [selected, setSelected] = useState(LOCAL_ID);
  const [dialog, setDialog] = useState<{ id?: string }>();
  const find = (id: string | undefined) => snapshot.connections.find((c) => c.config.id === id);
  const active = find(selected);
  const editing = find(dialog?.id)?.config;

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
  const { secret, ...fields } = input;
  const config: ConnectionConfig = { id: editing?.id ?? 'test', ...fields };
  // No new secret typed: the stored one (validation already made sure there is one).
  const provider = secret ?? (editing ? manager.storedSecret(editing.id) : null);
  return testConnection(config, provider, { createSource: createNatsSource });
}

/** "prod · nats.example.com": which cluster, on which server. */
export function connectionDetail(config: Pick<ConnectionConfig, 'cluster' | 'natsUrl'>): string {
  const host = /^wss?:\/\/([^/?#]+)/i.exec(config.natsUrl)?.[1] ?? config.natsUrl;
  return `${config.cluster ?? 'all clusters'} · ${host}`;
}
