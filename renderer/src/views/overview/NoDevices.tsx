import type { ProbeStatus } from '../../../../collector/core/protocol/spec.js';

/** Shown when the collector answered and found no accelerator: says where it looked. */
export function NoDevices({ probes }: { probes: Array<ProbeStatus & { node: string }> }) {
  return (
    <div className="empty-state" role="status">
      <div className="empty-title">No GPU or NPU found on this machine</div>
      <p className="empty-detail">
        The collector looked with these probes; host metrics below still work.
      </p>
      <ul className="probe-list">
        {probes.map((p) => (
          <li key={`${p.node}/${p.probe}`}>
            <span className={`dot probe-${p.state}`} aria-hidden />
            <span className="probe-name">{p.probe}:</span>{' '}
            <span className="probe-message">{p.message ?? p.state}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
