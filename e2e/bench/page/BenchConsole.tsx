/** The console's fleet path on its own page: NatsSource → LiveStore → the shell's ViewTabs. */
import { useEffect, useMemo } from 'react';

import { sampleCount } from '../../../collector/core/protocol/grids.js';
import { useLiveStore } from '../../../renderer/src/hooks/useLiveStore.js';
import { useSourceStatus } from '../../../renderer/src/hooks/useSourceStatus.js';
import { ViewTabs } from '../../../renderer/src/shell/views/ViewTabs.js';
import { viewsFor } from '../../../renderer/src/shell/views/viewsFor.js';
import { natsSourceFactory } from '../../../renderer/src/sources/defaultSourceFactories.js';
import { NatsSource } from '../../../renderer/src/sources/NatsSource.js';
import { FLEET_STORE_OPTIONS, LiveStore } from '../../../renderer/src/store/LiveStore.js';
import type { FleetFrameEvent } from '../../../renderer/src/views/fleet/FleetHeatmap.js';

export function BenchConsole({ ws, cluster }: { ws: string; cluster: string }) {
  const { source, store } = useMemo(() => {
    const source = new NatsSource({
      connection: { id: 'bench', name: 'bench', kind: 'nats', natsUrl: ws, auth: 'none', cluster },
      secret: null,
    });
    const store = new LiveStore(FLEET_STORE_OPTIONS);
    source.subscribe((batch) => {
      for (const m of batch.messages) {
        window.bench.messages += 1;
        if (m.type === 'metrics') window.bench.samples += sampleCount(m);
      }
      store.ingest(batch);
    });
    return { source, store };
  }, [ws, cluster]);

  useEffect(() => {
    source.start();
    window.bench.ready = true;
    // Publish→pixel: for every node whose newest message made it into this repaint, the time
    // from its publisher's stamp to the end of the repaint.
    const seen = new Map<string, number>();
    const onFrame = (e: Event) => {
      const detail = (e as CustomEvent<FleetFrameEvent>).detail;
      const at = performance.now();
      window.bench.paints.push([at, detail.paintMs, detail.cells]);
      for (const [node, ts] of detail.nodeTimes()) {
        if (seen.get(node) === ts) continue;
        seen.set(node, ts);
        window.bench.latencies.push([at, detail.drawnAt - ts]);
      }
    };
    document.addEventListener('osprey:frame', onFrame, true);
    return () => {
      document.removeEventListener('osprey:frame', onFrame, true);
      source.stop();
    };
  }, [source]);

  const status = useSourceStatus(source);
  const live = useLiveStore(store);
  return (
    <main className="main">
      <div className="content">
        <div className="bench-presence" data-testid="presence">
          {status.presence.state}
        </div>
        <ViewTabs
          live={live}
          presence={status.presence.state}
          views={viewsFor(natsSourceFactory.capabilities)}
        />
      </div>
    </main>
  );
}
