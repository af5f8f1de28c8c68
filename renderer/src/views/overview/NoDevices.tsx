import type { ProbeStatus } from '../../../../collector/core/protocol/spec.js';
import { describeProbe } from './describeProbe.js';

/** The host probe is always there; the list is about where accelerators were looked for. */
const HOST_PROBE = 'host';

/** Shown when the collector answered and found no accelerator: says where it looked. */
export function NoDevices({ probes }: { probes: Array<ProbeStatus & { node: string }> }) {
  const looked = probes.filter((p) => p.probe !== HOST_PROBE);
  return (
    <div className="empty-state" role="status">
      <div className="empty-title">No GPU or NPU found on this machine</div>
      <p className="empty-detail">
        The collector looked for accelerators with these tools; the host charts below still work.
      </p>
      <ul className="probe-list">
        {looked.map((p) => {
          const line = describeProbe(p);
          return (
            <li key={`${p.node}/${p.probe}`}>
              <span className={`dot probe-${p.state}`} aria-hidden />
              <span className="probe-name">{line.name}:</span>{' '}
              <span className="probe-message">{line.detail}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
