/**
 * One signal → one diagnosis, pure: what happened in plain words, the likely cause, what it does to
 * serving, the action in the catalog's bucket with the device's own steps, and the catalog entry
 * it rests on. Xids are judged by NVSentinel's mapping (FATAL → critical), Ascend fault codes by
 * the device plugin's levels, values by the thresholds' rules; known issues of the device's driver
 * or firmware range add their note (knownIssues.ts). Correlation across signals (an Xid 45 after
 * a 79, the same Xid on every GPU) is DiagnosisLog's.
 */
import { advice, BUCKET_IMPACT, nvidiaResetSteps } from './advice.js';
import { ascendFault, normalizeAscendCode } from './ascendFaultCodes.js';
import { matchingIssues, type KnownIssue, KNOWN_ISSUES } from './knownIssues.js';
import type { Severity } from './severity.js';
import { healthState, stateSeverity, vendorHealthWord } from './severity.js';
import { decodeThrottleReasons, THROTTLE_REASONS } from '../throttle.js';
import type {
  ActionBucket,
  Advice,
  CatalogRef,
  DeviceContext,
  Diagnosis,
  NodeContext,
  Signal,
} from './types.js';
import { XID_CATALOG_URL, xidEntry } from './xidCatalog.js';
import { XID_MEANINGS } from './xidMeanings.js';

/** What a rule decides; diagnose() adds the identity, times and evidence. */
export interface Judgement {
  severity: Severity;
  title: string;
  cause: string;
  impact: string;
  action: Advice;
  ref: CatalogRef;
}

const XID_REF = (code: string, name?: string): CatalogRef => {
  const ref: CatalogRef = { catalog: 'nvsentinel-xid', id: code, url: XID_CATALOG_URL };
  if (name !== undefined) ref.name = name;
  return ref;
};

function osprey(id: string, name?: string): CatalogRef {
  return name === undefined
    ? { catalog: 'osprey-threshold', id }
    : { catalog: 'osprey-threshold', id, name };
}

/** `dddd:bb:dd` of an inventory bus id (`00000000:3B:00.0`, `0000:C1:00.0`), lower case. */
export function shortPci(busId: string | undefined): string | undefined {
  const m = /^(?:[0-9a-f]{4})?([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})/i.exec(busId ?? '');
  return m ? `${m[1]}:${m[2]}:${m[3]}`.toLowerCase() : undefined;
}

/** The device a signal is about: by id, else by PCI address. */
export function findDevice(signal: Signal, ctx: NodeContext): DeviceContext | undefined {
  if (signal.device !== undefined) {
    const d = ctx.devices.find((x) => x.id === signal.device);
    if (d) return d;
  }
  if (signal.pci !== undefined) {
    const pci = signal.pci.toLowerCase();
    return ctx.devices.find((x) => shortPci(x.pciBusId) === pci);
  }
  return undefined;
}

export function deviceLabel(
  d: DeviceContext | undefined,
  signal: Signal,
  ctx: NodeContext,
): string {
  if (d === undefined) return signal.pci !== undefined ? `device at PCI ${signal.pci}` : ctx.node;
  const model = d.model ? ` (${d.model})` : '';
  if (d.vendor === 'ascend') {
    return `NPU ${d.index ?? '?'}${d.chip === undefined ? '' : ` chip ${d.chip}`}${model}`;
  }
  return d.index === undefined ? `GPU ${d.id}${model}` : `GPU ${d.index}${model}`;
}

/** Without the model: what a title starts with ("GPU 3 fell off the PCIe bus"). */
function shortLabel(d: DeviceContext | undefined, signal: Signal, ctx: NodeContext): string {
  if (d === undefined)
    return signal.pci !== undefined ? `The device at PCI ${signal.pci}` : ctx.node;
  if (d.vendor === 'ascend') {
    return `NPU ${d.index ?? '?'}${d.chip === undefined ? '' : ` chip ${d.chip}`}`;
  }
  return `GPU ${d.index ?? d.id}`;
}

function fmt(n: number | undefined, digits = 0): string {
  return n === undefined ? '?' : n.toFixed(digits);
}

function judgeXid(code: string, who: string, d: DeviceContext | undefined): Judgement {
  const entry = xidEntry(code);
  const meaning = XID_MEANINGS[Number(code)];
  if (entry === undefined) {
    return {
      severity: 'warning',
      title: `${who} reported Xid ${code}`,
      cause: `Xid ${code} is not in NVSentinel's Xid mapping (1–162); NVIDIA's Xid catalog may list it.`,
      impact: BUCKET_IMPACT['contact-vendor'],
      action: advice('contact-vendor', d),
      ref: XID_REF(code),
    };
  }
  const fatal = entry.cls === 'FATAL';
  const severity: Severity = fatal
    ? 'critical'
    : entry.bucket === 'restart-app'
      ? 'error'
      : 'warning';
  const title = meaning
    ? `${who} ${meaning.what} (Xid ${code})`
    : `${who} reported Xid ${code} (${entry.mnemonic})`;
  const cause = meaning
    ? meaning.cause
    : `${entry.mnemonic} (NVSentinel: ${fatal ? 'fatal' : 'non-fatal'}, ${entry.resolution}).`;
  return {
    severity,
    title,
    cause,
    impact: meaning?.impact ?? BUCKET_IMPACT[entry.bucket],
    action: xidAdvice(entry.code, entry.resolution, entry.bucket, d),
    ref: XID_REF(code, entry.mnemonic),
  };
}

/** The workflows NVSentinel names instead of one action, spelled out. */
function xidAdvice(
  code: number,
  resolution: string,
  bucket: ActionBucket,
  d: DeviceContext | undefined,
): Advice {
  const i = d?.index === undefined ? '<index>' : String(d.index);
  switch (resolution) {
    case 'WORKFLOW_XID_48':
      return advice(bucket, d, 'Check row remapping, then reset the GPU', [
        `Check row remapping: \`nvidia-smi -q -d ROW_REMAPPER -i ${i}\` (pre-Ampere GPUs: \`-d PAGE_RETIREMENT\`)`,
        ...nvidiaResetSteps(d),
        'A pending remap is applied by the reset; if remapping failed or the error comes back, contact the vendor (RMA)',
      ]);
    case 'WORKFLOW_XID_45':
      return advice(bucket, d, 'Follow the advice of the Xid before it on this GPU', [
        'Look for the Xid that preceded it on this GPU (Osprey groups them into one incident)',
        `If none did, restart the engine process(es) on GPU ${i}`,
      ]);
    case 'WORKFLOW_NVLINK_ERR':
    case 'WORKFLOW_NVLINK5_ERR':
      return advice(bucket, d, 'Check the NVLinks, then reset the GPU', [
        `Check link state and error counters: \`nvidia-smi nvlink -s -i ${i}\`, \`nvidia-smi nvlink -e -i ${i}\``,
        ...nvidiaResetSteps(d),
        'If links stay down after the reset, check the NVLink cabling/switch trays and contact the vendor',
      ]);
    case 'IGNORE':
      return advice(bucket, d, 'No action for this Xid by itself; watch for repeats');
    default:
      if (code === 154) {
        return advice('watch', d, 'Follow the advice of the Xid that changed the recovery action', [
          `Read the recommended action: \`nvidia-smi -q -i ${i}\` (GPU Recovery Action)`,
          'Apply the advice of the Xid before it on this GPU',
        ]);
      }
      return advice(bucket, d);
  }
}

function judgeNpuFault(
  code: string | undefined,
  who: string,
  d: DeviceContext | undefined,
): Judgement {
  const norm = code === undefined ? undefined : normalizeAscendCode(code);
  const level = norm === undefined ? undefined : ascendFault(norm);
  const shown = norm ?? code ?? 'unknown';
  if (level === undefined) {
    return {
      severity: 'warning',
      title: `${who} reported fault code ${shown}`,
      cause: `Fault code ${shown} is not in the Ascend device plugin's fault dictionary.`,
      impact: 'Unknown: the code is not classified',
      action: advice('contact-vendor', d),
      ref: { catalog: 'ascend-fault-code', id: shown },
    };
  }
  return {
    severity: level.severity,
    title: `${who} reported fault ${shown} (${level.summary.toLowerCase()})`,
    cause: `Ascend fault code ${shown} is ${level.meaning} (${level.level}).`,
    impact: level.impact,
    action: advice(level.bucket, d, level.summary),
    ref: { catalog: 'ascend-fault-code', id: shown, name: level.level },
  };
}

function judgeNpuHealth(signal: Signal, who: string, d: DeviceContext | undefined): Judgement {
  const state = healthState(signal.value);
  const word =
    (signal.detail?.health as string | undefined) ??
    (signal.value === undefined
      ? 'UNKNOWN'
      : (vendorHealthWord(signal.value) ?? String(signal.value)));
  const severity = stateSeverity(state);
  const bucket: ActionBucket =
    severity === 'critical' ? 'reset-device' : severity === 'info' ? 'none' : 'watch';
  return {
    severity,
    title: `${who} health is ${word} (npu-smi)`,
    cause:
      state === 'unknown'
        ? 'npu-smi could not tell the chip’s health (the driver did not answer).'
        : `npu-smi reports the chip’s health as ${word}; its error codes say why.`,
    impact: severity === 'critical' ? BUCKET_IMPACT['reset-device'] : 'The chip may be degraded',
    action: advice(bucket, d),
    ref: { catalog: 'npu-smi-health', id: word },
  };
}

const THROTTLE_BUCKET: Readonly<Record<string, ActionBucket>> = {
  sw_power_cap: 'watch',
  sw_thermal_slowdown: 'check-hardware',
  hw_thermal_slowdown: 'check-hardware',
  hw_slowdown: 'check-hardware',
  hw_power_brake_slowdown: 'check-hardware',
};

function judgeThrottle(signal: Signal, who: string, d: DeviceContext | undefined): Judgement {
  const code = signal.code ?? '';
  const reason =
    THROTTLE_REASONS.find((r) => r.id === code) ??
    (code.startsWith('0x') ? decodeThrottleReasons(Number(code))[0] : undefined);
  const label = reason?.label ?? code;
  const held =
    signal.value !== undefined && signal.limit !== undefined
      ? ` for ${fmt(signal.value)} s of the last ${fmt(signal.limit)} s`
      : signal.value !== undefined
        ? ` for ${fmt(signal.value)} s`
        : '';
  const bucket = THROTTLE_BUCKET[reason?.id ?? ''] ?? 'watch';
  const thermal = /thermal/.test(reason?.id ?? '');
  const cause =
    reason?.id === 'sw_power_cap'
      ? 'The GPU is drawing its enforced power limit, so the driver lowers its clocks.'
      : thermal
        ? 'The GPU is too hot, so the driver (software) or the board (hardware) lowers its clocks: cooling or airflow is short.'
        : reason?.id === 'hw_power_brake_slowdown'
          ? 'The board’s power brake asserted (external power supply signal): a power delivery problem.'
          : reason?.id === 'hw_slowdown'
            ? 'The board slowed the GPU down (thermal or power-supply signal).'
            : `Clock event reason ${label}.`;
  return {
    severity: 'warning',
    title: `${who} clocks held back: ${label.toLowerCase()}${held}`,
    cause,
    impact: 'Tokens per second on this GPU drop while it lasts; latency of the engines on it rises',
    action: advice(bucket, d),
    ref: osprey(`throttle.${reason?.id ?? code}`, label),
  };
}

function judgeTemperature(signal: Signal, who: string, d: DeviceContext | undefined): Judgement {
  const code = signal.code ?? 'high';
  const shutdown = code === 'shutdown';
  const against =
    signal.detail?.limitSource === 'default' ? 'Osprey’s default limit' : `its ${code} limit`;
  return {
    severity: shutdown ? 'critical' : 'warning',
    title: `${who} is hot: ${fmt(signal.value)} °C (${against} ${fmt(signal.limit)} °C)`,
    cause: shutdown
      ? 'The GPU reached its shutdown temperature: it will power off to protect itself.'
      : 'The device runs at or above the temperature where it slows down: cooling or airflow is short.',
    impact: shutdown
      ? 'The device may shut down at any moment; engines on it will stop'
      : 'Clocks drop while it is this hot; throughput of the engines on it falls',
    action: advice('check-hardware', d),
    ref: osprey(`temperature.${code}`),
  };
}

function judgePower(signal: Signal, who: string, d: DeviceContext | undefined): Judgement {
  if (signal.code === 'cap-below-default') {
    const i = d?.index === undefined ? '<index>' : String(d.index);
    return {
      severity: 'warning',
      title: `${who} power limit ${fmt(signal.value)} W is below its default ${fmt(signal.limit)} W`,
      cause: 'Someone (or a tool) set a power limit below the board’s default.',
      impact: 'The GPU reaches its power cap sooner and clocks down under load',
      action: advice('watch', d, 'Restore the default power limit unless it was set on purpose', [
        `\`nvidia-smi -pl ${fmt(signal.limit)} -i ${i}\``,
      ]),
      ref: osprey('power.cap-below-default'),
    };
  }
  // Inference under full load often runs at the cap: a fact worth showing, not a fault; held
  // long enough it is the sw_power_cap throttle diagnosis (a warning).
  return {
    severity: 'info',
    title: `${who} draws ${fmt(signal.value)} W, at its ${fmt(signal.limit)} W limit`,
    cause: 'The device is power-capped: the driver holds clocks down to stay under the limit.',
    impact: 'Throughput on this device is limited by power while it lasts',
    action: advice('watch', d),
    ref: osprey(`power.${signal.code ?? 'at-limit'}`),
  };
}

function judgeEcc(signal: Signal, who: string, d: DeviceContext | undefined): Judgement {
  const code = signal.code ?? 'uncorrected';
  const uncorrected = code.startsWith('uncorrected');
  const volatile = code.endsWith('volatile');
  if (!uncorrected) {
    return {
      severity: 'info',
      title: `${who} corrected ${fmt(signal.value)} ECC errors`,
      cause: 'Single-bit ECC errors, corrected by the memory; a rising count is a warning sign.',
      impact: 'No effect on serving',
      action: advice('watch', d),
      ref: osprey(`ecc.${code}`),
    };
  }
  return {
    severity: 'error',
    title: `${who} has ${fmt(signal.value)} uncorrectable ECC error${signal.value === 1 ? '' : 's'}${volatile ? ' since the driver loaded' : ' in its lifetime'}`,
    cause: 'Uncorrectable (double-bit) ECC errors in device memory.',
    impact:
      'The process using that memory failed; the GPU needs a reset (remap) before it is trusted',
    action: xidAdvice(48, 'WORKFLOW_XID_48', 'reset-device', d),
    ref: osprey(`ecc.${code}`),
  };
}

function judgeRemap(signal: Signal, who: string, d: DeviceContext | undefined): Judgement {
  const code = signal.code ?? 'pending';
  switch (code) {
    case 'failure':
      return {
        severity: 'critical',
        title: `${who} failed to remap a memory row`,
        cause: 'Row remapping failed: the memory has no spare row left for a bad one.',
        impact: 'The GPU’s memory cannot be repaired in place; it needs service',
        action: advice(
          'contact-vendor',
          d,
          'Take the GPU out of service and contact the vendor (RMA)',
        ),
        ref: osprey('remap.failure'),
      };
    case 'pending':
      return {
        severity: 'warning',
        title: `${who} has a memory row remap pending`,
        cause:
          'A bad memory row is waiting to be remapped; the remap is applied at the next GPU reset.',
        impact: 'Serving continues; the bad row stays in use until the GPU is reset',
        action: advice(
          'reset-device',
          d,
          'Reset the GPU when it can be drained to apply the remap',
        ),
        ref: osprey('remap.pending'),
      };
    case 'histogram.none':
      return {
        severity: 'error',
        title: `${who} has ${fmt(signal.value)} memory bank${signal.value === 1 ? '' : 's'} with no spare rows left`,
        cause:
          'Row remapping used every spare row of some banks; the next bad row there cannot be remapped.',
        impact: 'No effect now; the next uncorrectable error in those banks cannot be repaired',
        action: advice('contact-vendor', d, 'Plan to replace the GPU'),
        ref: osprey('remap.histogram.none'),
      };
    default:
      return {
        severity: code === 'uncorrectable' ? 'warning' : 'info',
        title: `${who} has remapped ${fmt(signal.value)} memory row${signal.value === 1 ? '' : 's'} (${code})`,
        cause: `Rows remapped for ${code} errors, as the GPU's row remapper reports them.`,
        impact: 'No effect on serving; the count says how worn the memory is',
        action: advice('watch', d),
        ref: osprey(`remap.${code}`),
      };
  }
}

function judgeRetired(signal: Signal, who: string, d: DeviceContext | undefined): Judgement {
  const code = signal.code ?? 'pending';
  if (code === 'pending') {
    return {
      severity: 'warning',
      title: `${who} has a memory page retirement pending`,
      cause:
        'A memory page is waiting to be retired; retirement takes effect at the next GPU reset.',
      impact: 'Serving continues; the page stays in use until the GPU is reset',
      action: advice('reset-device', d, 'Reset the GPU when it can be drained to retire the page'),
      ref: osprey('retired-pages.pending'),
    };
  }
  return {
    severity: code === 'dbe' ? 'warning' : 'info',
    title: `${who} has retired ${fmt(signal.value)} memory page${signal.value === 1 ? '' : 's'} (${code === 'dbe' ? 'double-bit' : 'single-bit'} errors)`,
    cause: 'Memory pages retired after ECC errors, as the driver reports them.',
    impact: 'No effect on serving; a rising count says the memory is wearing',
    action: advice('watch', d),
    ref: osprey(`retired-pages.${code}`),
  };
}

function judgePcieLink(signal: Signal, who: string, d: DeviceContext | undefined): Judgement {
  const width = signal.code === 'width';
  const what = width
    ? `x${fmt(signal.value)} of x${fmt(signal.limit)}`
    : `gen ${fmt(signal.value)} of ${fmt(signal.limit)}`;
  return {
    severity: 'warning',
    title: `${who} PCIe link trained down: ${what}`,
    cause: width
      ? 'The PCIe link came up with fewer lanes than the slot and GPU support: a seating, riser or slot fault.'
      : 'The PCIe link runs below its generation while the GPU is busy: a signal-quality or slot fault.',
    impact:
      'Host ↔ GPU transfers are slower (model loading, KV cache offload, input/output copies)',
    action: advice('check-hardware', d),
    ref: osprey(`pcie-link.${signal.code ?? 'width'}`),
  };
}

function judgeAer(signal: Signal, who: string, d: DeviceContext | undefined): Judgement {
  const sev = signal.code ?? String(signal.detail?.aerSeverity ?? 'corrected');
  const type = signal.detail?.aerType ? ` (${signal.detail.aerType})` : '';
  if (sev === 'fatal') {
    return {
      severity: 'critical',
      title: `${who} had an uncorrectable fatal PCIe error${type}`,
      cause:
        'PCIe Advanced Error Reporting logged a fatal uncorrectable error on the device’s link.',
      impact: BUCKET_IMPACT['reboot-node'],
      action: advice('reboot-node', d),
      ref: { catalog: 'pcie-aer', id: 'fatal' },
    };
  }
  if (sev === 'nonfatal') {
    return {
      severity: 'error',
      title: `${who} had an uncorrectable PCIe error${type}`,
      cause:
        'PCIe Advanced Error Reporting logged an uncorrectable (non-fatal) error on the device’s link.',
      impact: 'A transfer on the link failed; the driver may report an Xid next',
      action: advice('check-hardware', d),
      ref: { catalog: 'pcie-aer', id: 'nonfatal' },
    };
  }
  return {
    severity: 'info',
    title: `${who} had corrected PCIe errors${type}`,
    cause:
      'PCIe Advanced Error Reporting logged errors the link corrected; many in a row point at signal quality.',
    impact: 'No effect on serving',
    action: advice('watch', d),
    ref: { catalog: 'pcie-aer', id: sev },
  };
}

function judge(signal: Signal, d: DeviceContext | undefined, ctx: NodeContext): Judgement {
  const who = shortLabel(d, signal, ctx);
  const code = signal.code;
  switch (signal.kind) {
    case 'xid': {
      const gi = signal.detail?.gi;
      const ci = signal.detail?.ci;
      const where =
        gi === undefined
          ? who
          : `${who} (MIG GPU instance ${gi}${ci === undefined ? '' : `, compute instance ${ci}`})`;
      const j = judgeXid(code ?? '?', where, d);
      const process = signal.detail?.process;
      const pid = signal.detail?.pid;
      if (process === undefined && pid === undefined) return j;
      const who2 = [process, pid === undefined ? undefined : `pid ${pid}`]
        .filter(Boolean)
        .join(', ');
      return { ...j, cause: `${j.cause} The kernel names the process: ${who2}.` };
    }
    case 'fallen-off-bus': {
      const j = judgeXid('79', who, d);
      return { ...j, title: `${who} fell off the PCIe bus`, ref: j.ref };
    }
    case 'gsp-timeout': {
      const j = judgeXid('119', who, d);
      return { ...j, title: `${who} timed out waiting for its GSP firmware` };
    }
    case 'sxid': {
      const fatal = signal.detail?.severity === 'fatal';
      return {
        severity: fatal ? 'critical' : 'warning',
        title:
          `NVSwitch ${signal.pci ?? ''} reported SXid ${code ?? '?'}${fatal ? ' (fatal)' : ''}`.replace(
            '  ',
            ' ',
          ),
        cause:
          'An NVSwitch error, reported by the NVSwitch driver; the Fabric Manager log tells more.',
        impact: fatal
          ? 'NVLink traffic through this switch fails; multi-GPU engines on the node stop'
          : 'NVLink traffic through this switch may have been retried',
        action: advice(fatal ? 'reboot-node' : 'watch', d),
        ref: { catalog: 'nvidia-sxid', id: code ?? '?' },
      };
    }
    case 'pcie-aer':
      return judgeAer(signal, who, d);
    case 'ascend-driver':
      return {
        severity: 'warning',
        title: `${who}: Ascend driver error (${code ?? 'driver'})`,
        cause: `The Ascend driver module ${code ?? ''} logged an error${signal.detail?.message ? `: ${signal.detail.message}` : ''}.`,
        impact: 'Work on the NPU may have failed',
        action: advice('watch', d),
        ref: { catalog: 'ascend-driver', id: code ?? 'driver' },
      };
    case 'npu-fault':
      return judgeNpuFault(code, who, d);
    case 'npu-health':
      return judgeNpuHealth(signal, who, d);
    case 'ecc':
      return judgeEcc(signal, who, d);
    case 'remap':
      return judgeRemap(signal, who, d);
    case 'retired-pages':
      return judgeRetired(signal, who, d);
    case 'pcie-link':
      return judgePcieLink(signal, who, d);
    case 'nvlink':
      return {
        severity: 'error',
        title: `${who} NVLink ${code ?? 'fault'}${signal.detail?.link !== undefined ? ` on link ${signal.detail.link}` : ''}`,
        cause: 'An NVLink is down or counting errors, as nvidia-smi reports it.',
        impact: 'Tensor-parallel traffic over this GPU’s NVLinks is slower or fails',
        action: xidAdvice(74, 'WORKFLOW_NVLINK_ERR', 'reset-device', d),
        ref: osprey(`nvlink.${code ?? 'fault'}`),
      };
    case 'throttle':
      return judgeThrottle(signal, who, d);
    case 'temperature':
      return judgeTemperature(signal, who, d);
    case 'power':
      return judgePower(signal, who, d);
    case 'persistence': {
      const i = d?.index === undefined ? '<index>' : String(d.index);
      return {
        severity: 'info',
        title: `${who} runs without persistence mode`,
        cause:
          'Persistence mode is off: the driver tears the GPU state down whenever no process holds it.',
        impact: 'The first CUDA call after an idle period is slower; no effect while engines run',
        action: advice('watch', d, 'Turn persistence mode on', [`\`nvidia-smi -pm 1 -i ${i}\``]),
        ref: osprey('persistence.disabled'),
      };
    }
  }
}

function applyKnownIssues(j: Judgement, issues: readonly KnownIssue[]): Judgement {
  if (issues.length === 0) return j;
  const first = issues[0]!;
  return {
    ...j,
    cause: `${j.cause} Known issue for this ${first.vendor === 'nvidia' ? 'driver' : 'software'} version: ${issues.map((i) => i.note).join(' ')}`,
    action: {
      bucket: first.bucket ?? j.action.bucket,
      summary: j.action.summary,
      steps: [...issues.flatMap((i) => i.steps ?? []), ...j.action.steps],
    },
    ref: { catalog: 'osprey-known-issue', id: first.id, url: first.source },
  };
}

/**
 * How many occurrences a signal stands for: the kernel probe folds a storm of one fact into one
 * signal with `detail.repeats` (collector/probes/kernel SignalBuffer), so 10,000 identical lines
 * cost one object and still count 10,000.
 */
export function signalCount(signal: Signal): number {
  const repeats = Number(signal.detail?.repeats ?? 0);
  return 1 + (Number.isFinite(repeats) && repeats > 0 ? Math.floor(repeats) : 0);
}

/** The key repeats of the same fact share: node, device (or address), kind, code. */
export function diagnosisKey(signal: Signal, ctx: NodeContext, d?: DeviceContext): string {
  const dev = d?.id ?? signal.device ?? signal.pci ?? '-';
  return `${ctx.node}/${dev}/${signal.kind}/${signal.code ?? ''}`;
}

export function diagnose(
  signal: Signal,
  ctx: NodeContext,
  knownIssues: readonly KnownIssue[] = KNOWN_ISSUES,
): Diagnosis {
  const d = findDevice(signal, ctx);
  const j = applyKnownIssues(
    judge(signal, d, ctx),
    matchingIssues(signal.kind, signal.code, d, knownIssues),
  );
  const key = diagnosisKey(signal, ctx, d);
  const out: Diagnosis = {
    id: `${key}@${signal.ts}`,
    incident: `${key}@${signal.ts}`,
    ts: signal.ts,
    lastTs: signal.ts,
    count: signalCount(signal),
    node: ctx.node,
    deviceLabel: deviceLabel(d, signal, ctx),
    kind: signal.kind,
    severity: j.severity,
    title: j.title,
    cause: j.cause,
    impact: j.impact,
    action: j.action,
    ref: j.ref,
    evidence: signal.evidence.slice(0, 8),
  };
  const device = d?.id ?? signal.device;
  if (device !== undefined) out.device = device;
  if (signal.code !== undefined) out.code = signal.code;
  return out;
}
