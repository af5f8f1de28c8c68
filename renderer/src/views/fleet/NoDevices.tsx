import type { ProbeStatus } from '../../../../collector/core/protocol/spec.js';
import { displayName } from '../../lib/displayName.js';
import { describeProbe } from './describeProbe.js';

/** The host probe is always there; the list is about where accelerators were looked for. */
const HOST_PROBE = 'host';

/** Shown when every collector answered and none found an accelerator: says where they looked. */
export function NoDevices({
  probes,
  nodes,
  onShowHost,
}: {
  probes: Array<ProbeStatus & { node: string }>;
  /** How many nodes answered: one is "this machine", more are named per line. */
  nodes: number;
  onShowHost?: (() => void) | undefined;
}) {
  const looked = probes.filter((p) => p.probe !== HOST_PROBE);
  return (
    <div className="panel empty-state" role="status">
      <div className="empty-title">
        {nodes === 1
          ? 'No GPU or NPU found on this machine'
          : `No GPU or NPU found on ${nodes} nodes`}
      </div>
      <p className="empty-detail">
        The collector looked for accelerators with these tools. CPU, memory, network and disk are in
        the Host view.
      </p>
      <ul className="probe-list">
        {looked.map((p) => {
          const line = describeProbe(p);
          return (
            <li key={`${p.node}/${p.probe}`}>
              <span className={`dot probe-${p.state}`} aria-hidden />
              {nodes > 1 ? <span className="probe-node">{displayName(p.node)} · </span> : null}
              <span className="probe-name">{line.name}:</span>{' '}
              <span className="probe-message">{line.detail}</span>
            </li>
          );
        })}
      </ul>
      {onShowHost ? (
        <p className="empty-actions">
          <button type="button" className="button" onClick={onShowHost}>
            Show Host
          </button>
        </p>
      ) : null}
    </div>
  );
}
