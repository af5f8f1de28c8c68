/**
 * Prometheus text exposition (format 0.0.4) of a node snapshot: the collector's /metrics.
 * Names and base units come from the catalog's `prom` entries. Samples without a value are left
 * out — Prometheus has no "unsupported", and writing 0 would be a lie.
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
import { metricDef } from './catalog.js';
import type { NodeSnapshot } from './model.js';
import type { DeviceInfo } from './protocol/spec.js';

interface Family {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  lines: string[];
}

const PROBE_STATES = ['starting', 'ok', 'absent', 'degraded', 'error'] as const;

export function toExposition(snapshot: NodeSnapshot, node: string): string {
  const families = new Map<string, Family>();
  const family = (name: string, help: string, type: Family['type']): Family => {
    let f = families.get(name);
    if (!f) {
      f = { name, help, type, lines: [] };
      families.set(name, f);
    }
    return f;
  };

  const info = family(
    'osprey_device_info',
    'Devices found on this node (value is always 1).',
    'gauge',
  );
  const devices = new Map<string, DeviceInfo>();
  for (const d of snapshot.devices) {
    devices.set(d.id, d);
    const extra: Record<string, string> = { name: d.name };
    if (d.driver) extra.driver = d.driver;
    if (d.pciBusId) extra.pci_bus_id = d.pciBusId;
    info.lines.push(`${info.name}${labels({ ...deviceLabels(node, d), ...extra })} 1`);
  }

  const probe = family(
    'osprey_probe_state',
    'State of each collector probe (1 for the current state).',
    'gauge',
  );
  for (const p of snapshot.probes) {
    for (const state of PROBE_STATES) {
      probe.lines.push(
        `${probe.name}${labels({ node, probe: p.probe, state })} ${p.state === state ? 1 : 0}`,
      );
    }
  }

  for (const s of snapshot.samples) {
    if (s.v === null || !Number.isFinite(s.v)) continue;
    const def = metricDef(s.m);
    if (!def?.prom) continue;
    const f = family(def.prom.name, def.help, def.prom.type);
    const device = s.d === undefined ? undefined : devices.get(s.d);
    const base = device ? deviceLabels(node, device) : s.d ? { node, device: s.d } : { node };
    const value = def.prom.scale === undefined ? s.v : s.v * def.prom.scale;
    f.lines.push(`${f.name}${labels({ ...base, ...s.l })} ${formatValue(value)}`);
  }

  let out = '';
  for (const f of families.values()) {
    if (f.lines.length === 0) continue;
    out += `# HELP ${f.name} ${escapeHelp(f.help)}\n# TYPE ${f.name} ${f.type}\n${f.lines.join('\n')}\n`;
  }
  return out;
}

function deviceLabels(node: string, d: DeviceInfo): Record<string, string> {
  const out: Record<string, string> = {
    node,
    vendor: d.vendor,
    index: String(d.index),
    model: d.name,
  };
  if (d.uuid) out.uuid = d.uuid;
  if (d.chip !== undefined) out.chip = String(d.chip);
  return out;
}

function labels(set: Record<string, string>): string {
  const parts = Object.entries(set).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(v: number): string {
  // A finite reading can overflow when scaled (1.8e302 MHz in Hz): the format spells it +Inf/-Inf,
  // and JavaScript's "Infinity" would fail the whole scrape (found by exposition.fuzz.test.ts).
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  // Round away binary noise from unit scaling (0.37 * 0.01 = 0.0037000000000000002).
  return String(Number.parseFloat(v.toPrecision(12)));
}
