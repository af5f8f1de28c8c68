/** Top bar: connection state, which machine, how fresh the data is, and any problems. */
import type { ReactNode } from 'react';

import { displayName } from '../lib/displayName.js';
import { formatAge } from '../lib/format.js';
import type { Backlog, SourceProblem, SourceStatus } from '../sources/Source.js';
import type { NodeState } from '../store/LiveStore.js';
import { behindText } from './behindText.js';
import { EventHistoryNote } from './EventHistoryNote.js';
import { CopyLinkButton } from './navigation/CopyLinkButton.js';
import { PRESENCE_LABEL } from './presence.js';
import { ProblemsButton } from './ProblemsButton.js';

export interface HeaderProps {
  status: SourceStatus;
  node: NodeState | undefined;
  lastReceivedAt: number | undefined;
  now: number;
  /** What the page shows, when it is not one machine: a cluster connection's name. */
  title?: string;
  /** How far behind its senders the console is (LiveStore.lagMs), shown from 2 s (lagText). */
  lagMs?: number;
  /** Messages the source holds undecoded (LiveStore.backlog): part of how far behind it is. */
  backlog?: Backlog;
  /** The store's own problems (LiveStore.problems: budget, clock skew), after the source's. */
  storeProblems?: readonly SourceProblem[];
  /** The page's own controls (a cluster's Record button), before the problems. */
  actions?: ReactNode;
}

export function Header(props: HeaderProps) {
  const { status, node, lastReceivedAt, now, title, storeProblems } = props;
  const lag = behindText(props.lagMs, props.backlog, now);
  const { presence } = status;
  const host = node?.host;
  return (
    <header className="topbar">
      <span className={`presence presence-${presence.state}`} data-testid="presence">
        <span className="dot" aria-hidden />
        {PRESENCE_LABEL[presence.state]}
      </span>
      <h1 className="node-name">{displayName(title ?? node?.node ?? 'This machine')}</h1>
      {host ? (
        <span className="host-facts">
          {displayName(host.os)} · {displayName(host.arch)} · {host.cpuCores} cores
          {host.cpuModel ? ` · ${displayName(host.cpuModel)}` : ''}
        </span>
      ) : null}
      <div className="spacer" />
      {status.eventHistory ? <EventHistoryNote history={status.eventHistory} now={now} /> : null}
      <span className="data-age" data-testid="data-age">
        {lastReceivedAt === undefined
          ? 'no data yet'
          : `updated ${formatAge(now - lastReceivedAt)}`}
      </span>
      {lag !== undefined ? (
        <span
          className="data-lag"
          data-testid="data-lag"
          title="Messages arrive this much later than their senders stamped them, beyond the usual delivery time: the console is falling behind, and values are older than their ages say."
        >
          {lag}
        </span>
      ) : null}
      <CopyLinkButton />
      {props.actions}
      <ProblemsButton
        problems={storeProblems?.length ? [...status.problems, ...storeProblems] : status.problems}
        now={now}
      />
    </header>
  );
}
