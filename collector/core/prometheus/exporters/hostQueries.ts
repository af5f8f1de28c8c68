/**
 * node_exporter, read for the Host view of a Prometheus-only cluster: what the machine is
 * (`node_uname_info`: nodename, sysname, machine, release; its CPU count), its memory and load as
 * raw samples, and CPU, network and disk as rates over the window. One query each, never one per
 * node. Loopback and container bridges are left out of the network (as Osprey's own probe does).
 */
export type HostPart = 'info' | 'cores' | 'gauges' | 'cpu' | 'rx' | 'tx' | 'read' | 'write';

/** Raw gauge series → canonical metric. */
export const HOST_GAUGES: Readonly<Record<string, string>> = {
  node_memory_MemTotal_bytes: 'host.memory.total',
  // Not a catalog metric: used = total − available (fleetMessages takes it apart).
  node_memory_MemAvailable_bytes: 'part:available',
  node_load1: 'host.load.1',
  node_load5: 'host.load.5',
  node_load15: 'host.load.15',
};

/** Rate parts → canonical metric (per second, bytes or percent). */
export const HOST_RATES: Readonly<Partial<Record<HostPart, string>>> = {
  cpu: 'host.cpu.utilization',
  rx: 'host.network.receive',
  tx: 'host.network.transmit',
  read: 'host.disk.read',
  write: 'host.disk.write',
};

const VIRTUAL_NICS = 'lo|veth.*|docker.*|cali.*|flannel.*|cni.*|virbr.*|br-.*';

/** The queries, when the server holds node_exporter's series (`names`). */
export function hostQueries(
  names: ReadonlySet<string>,
  windowS: number,
): Array<{ part: HostPart; query: string }> {
  if (!names.has('node_uname_info')) return [];
  const w = `${Math.max(windowS, 2)}s`;
  const out: Array<{ part: HostPart; query: string }> = [
    { part: 'info', query: 'node_uname_info' },
  ];
  const gauges = Object.keys(HOST_GAUGES).filter((n) => names.has(n));
  if (gauges.length > 0)
    out.push({ part: 'gauges', query: `{__name__=~"${gauges.join('|')}"}[${w}]` });
  if (names.has('node_cpu_seconds_total')) {
    out.push({
      part: 'cores',
      query: 'count without (cpu, mode) (node_cpu_seconds_total{mode="idle"})',
    });
    out.push({
      part: 'cpu',
      query: `100 * (1 - avg without (cpu, mode) (rate(node_cpu_seconds_total{mode="idle"}[${w}])))`,
    });
  }
  const nic = `device!~"${VIRTUAL_NICS}"`;
  if (names.has('node_network_receive_bytes_total'))
    out.push({
      part: 'rx',
      query: `sum without (device) (rate(node_network_receive_bytes_total{${nic}}[${w}]))`,
    });
  if (names.has('node_network_transmit_bytes_total'))
    out.push({
      part: 'tx',
      query: `sum without (device) (rate(node_network_transmit_bytes_total{${nic}}[${w}]))`,
    });
  if (names.has('node_disk_read_bytes_total'))
    out.push({
      part: 'read',
      query: `sum without (device) (rate(node_disk_read_bytes_total[${w}]))`,
    });
  if (names.has('node_disk_written_bytes_total'))
    out.push({
      part: 'write',
      query: `sum without (device) (rate(node_disk_written_bytes_total[${w}]))`,
    });
  return out;
}
