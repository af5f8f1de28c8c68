/** Top bar: connection state, which machine, how fresh the data is, and any problems. */
import { formatAge } from '../lib/format.js';
import type { SourceStatus } from '../sources/Source.js';
import type { NodeState } from '../store/LiveStore.js';
import { PRESENCE_LABEL } from './presence.js';
import { ProblemsButton } from './ProblemsButton.js';

export interface HeaderProps {
  status: SourceStatus;
  node: NodeState | undefined;
  lastReceivedAt: number | undefined;
  now: number;
  /** What the page shows, when it is not one machine: a cluster connection's name. */
  title?: string;
  /** How far behind its senders the console is (LiveStore.lagMs), shown from LAG_SHOWN_MS. */
  lagMs?: number;
}

/** Below 2 s a lag is delivery and batching noise at 2 Hz, not news. */
const LAG_SHOWN_MS = 2000;

export function Header({ status, node, lastReceivedAt, now, title, lagMs }: HeaderProps) {
  const { presence } = status;
  const host = node?.host;
  return (
    <header className="topbar">
      <span className={`presence presence-${presence.state}`} data-testid="presence">
        <span className="dot" aria-hidden />
        {PRESENCE_LABEL[presence.state]}
      </span>
      <h1 className="node-name">{title ?? node?.node ?? 'This machine'}</h1>
      {host ? (
        <span className="host-facts">
          {host.os} · {host.arch} · {host.cpuCores} cores
          {host.cpuModel ? ` · ${host.cpuModel}` : ''}
        </span>
      ) : null}
      <div className="spacer" />
      <span className="data-age" data-testid="data-age">
        {lastReceivedAt === undefined
          ? 'no data yet'
          : `updated ${formatAge(now - lastReceivedAt)}`}
      </span>
      {lagMs !== undefined && lagMs >= LAG_SHOWN_MS ? (
        <span
          className="data-lag"
          data-testid="data-lag"
          title="Messages arrive this much later than their senders stamped them, beyond the usual delivery time: the console is falling behind, and values are older than their ages say."
        >
          {(lagMs / 1000).toFixed(lagMs < 10_000 ? 1 : 0)} s behind
        </span>
      ) : null}
      <ProblemsButton problems={status.problems} now={now} />
    </header>
  );
}
