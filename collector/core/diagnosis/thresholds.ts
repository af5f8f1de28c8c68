/**
 * Samples → value signals, pure and stateless: every device metric a rule judges gives a signal
 * each time it is read, over its limit or (`ok: true`) back within it, so DiagnosisLog can open a
 * diagnosis, time it (throttle reasons by duration) and resolve it. Limits are data
 * (THRESHOLDS). Temperature is judged against the limits the device reports
 * (`device.temperature.slowdown` / `.shutdown` when a probe gives them, nvidia-smi -q "GPU Slowdown
 * Temp" / "GPU Shutdown Temp"), else against Osprey's own default, named as such in the diagnosis.
 * Metrics named here that the catalog does not list yet (remap, PCIe width, link maxima, the
 * temperature limits) are read when a probe reports them and skipped when none does.
 */
import type { DeviceInfo, Sample } from '../protocol/spec.js';
import { decodeThrottleReasons, THROTTLE_REASONS } from '../throttle.js';
import type { Signal } from './types.js';

export const THRESHOLDS = {
  /**
   * Osprey's default slowdown temperature (°C) for a device that reports no limit of its own. Not
   * a vendor figure: a conservative point where data-centre GPUs and NPUs run hot.
   */
  defaultHotC: 85,
  /** Drawing at least this share of the enforced limit counts as power-capped. */
  powerAtLimitRatio: 0.98,
  /**
   * Seconds a throttle reason must hold before it is a diagnosis (Osprey's choice: a short power
   * cap under a load spike is normal operation; a hardware slowdown is worth knowing at once).
   */
  throttleMinSeconds: {
    sw_power_cap: 30,
    sw_thermal_slowdown: 30,
    hw_thermal_slowdown: 10,
    hw_slowdown: 10,
    hw_power_brake_slowdown: 5,
  } as Readonly<Record<string, number>>,
  throttleDefaultSeconds: 30,
};

export function throttleMinSeconds(reason: string): number {
  return THRESHOLDS.throttleMinSeconds[reason] ?? THRESHOLDS.throttleDefaultSeconds;
}

/** Metric names read (catalog.ts names; the optional ones are listed in the header). */
export const THRESHOLD_METRICS = {
  temperature: 'device.temperature',
  slowdown: 'device.temperature.slowdown',
  shutdown: 'device.temperature.shutdown',
  power: 'device.power',
  powerLimit: 'device.power.limit',
  throttle: 'device.throttle.reasons',
  eccUncorrected: 'device.ecc.uncorrected',
  remapPending: 'device.remap.pending',
  remapFailure: 'device.remap.failure',
  linkGen: 'device.pcie.link.gen',
  linkGenMax: 'device.pcie.link.gen.max',
  linkWidth: 'device.pcie.link.width',
  linkWidthMax: 'device.pcie.link.width.max',
  utilization: 'device.utilization',
  health: 'device.health',
} as const;

const SOURCE = 'metrics';

export function thresholdSignals(
  samples: readonly Sample[],
  devices: readonly DeviceInfo[],
  now: number,
): Signal[] {
  const byDevice = new Map<string, Map<string, number>>();
  for (const s of samples) {
    if (s.d === undefined || s.v === null || !Number.isFinite(s.v) || s.l !== undefined) continue;
    let m = byDevice.get(s.d);
    if (!m) byDevice.set(s.d, (m = new Map()));
    m.set(s.m, s.v);
  }
  const out: Signal[] = [];
  for (const dev of devices) {
    const v = byDevice.get(dev.id);
    if (v) judgeDevice(dev, v, now, out);
  }
  return out;
}

function judgeDevice(dev: DeviceInfo, v: Map<string, number>, now: number, out: Signal[]): void {
  const M = THRESHOLD_METRICS;
  const who = dev.vendor === 'ascend' ? `NPU ${dev.index}` : `GPU ${dev.index}`;
  const emit = (
    kind: Signal['kind'],
    code: string,
    over: boolean,
    text: string,
    extra: Partial<Signal> = {},
  ): void => {
    const s: Signal = {
      kind,
      code,
      ts: now,
      device: dev.id,
      evidence: [{ ts: now, text: `${who}: ${text}`, source: SOURCE }],
      ...extra,
    };
    if (!over) s.ok = true;
    out.push(s);
  };

  const temp = v.get(M.temperature);
  if (temp !== undefined) {
    const shutdown = v.get(M.shutdown);
    const slowdown = v.get(M.slowdown);
    if (shutdown !== undefined) {
      emit(
        'temperature',
        'shutdown',
        temp >= shutdown,
        `temperature ${num(temp)} °C, shutdown at ${num(shutdown)} °C`,
        { value: temp, limit: shutdown },
      );
    }
    if (slowdown !== undefined) {
      emit(
        'temperature',
        'slowdown',
        temp >= slowdown,
        `temperature ${num(temp)} °C, slowdown at ${num(slowdown)} °C`,
        { value: temp, limit: slowdown },
      );
    } else {
      const limit = THRESHOLDS.defaultHotC;
      emit(
        'temperature',
        'high',
        temp >= limit,
        `temperature ${num(temp)} °C (Osprey default limit ${num(limit)} °C)`,
        { value: temp, limit, detail: { limitSource: 'default' } },
      );
    }
  }

  const power = v.get(M.power);
  const cap = v.get(M.powerLimit);
  if (power !== undefined && cap !== undefined && cap > 0) {
    const over = power >= THRESHOLDS.powerAtLimitRatio * cap;
    emit('power', 'at-limit', over, `power ${num(power)} W of its ${num(cap)} W limit`, {
      value: power,
      limit: cap,
    });
  }

  const mask = v.get(M.throttle);
  if (mask !== undefined && Number.isInteger(mask) && mask >= 0) {
    const active = new Set(
      decodeThrottleReasons(mask)
        .filter((r) => r.harmful)
        .map((r) => r.id),
    );
    const hex = `0x${mask.toString(16)}`;
    for (const r of THROTTLE_REASONS.filter((x) => x.harmful)) {
      emit(
        'throttle',
        r.id,
        active.has(r.id),
        `clock event reasons ${hex} (${r.label}${active.has(r.id) ? '' : ' clear'})`,
        { detail: { mask } },
      );
    }
  }

  const ecc = v.get(M.eccUncorrected);
  if (ecc !== undefined) {
    emit('ecc', 'uncorrected.volatile', ecc > 0, `uncorrected ECC errors ${ecc}`, { value: ecc });
  }
  const pending = v.get(M.remapPending);
  if (pending !== undefined)
    emit('remap', 'pending', pending > 0, `remapped rows pending: ${pending > 0 ? 'Yes' : 'No'}`, {
      value: pending,
    });
  const failure = v.get(M.remapFailure);
  if (failure !== undefined)
    emit('remap', 'failure', failure > 0, `remapped rows failure: ${failure > 0 ? 'Yes' : 'No'}`, {
      value: failure,
    });

  const width = v.get(M.linkWidth);
  const widthMax = v.get(M.linkWidthMax);
  if (width !== undefined && widthMax !== undefined) {
    emit('pcie-link', 'width', width < widthMax, `PCIe link width x${width} of x${widthMax}`, {
      value: width,
      limit: widthMax,
    });
  }
  // A link drops its generation when idle to save power; judged only while the device works.
  const gen = v.get(M.linkGen);
  const genMax = v.get(M.linkGenMax);
  const util = v.get(M.utilization);
  if (gen !== undefined && genMax !== undefined && util !== undefined && util > 0) {
    emit(
      'pcie-link',
      'gen',
      gen < genMax,
      `PCIe link gen ${gen} of ${genMax} at ${num(util)} % utilization`,
      { value: gen, limit: genMax },
    );
  }

  // npu-smi's own health word; NVIDIA has no such field (its faults come as Xids and values).
  const health = v.get(M.health);
  if (dev.vendor === 'ascend' && health !== undefined && Number.isInteger(health)) {
    emit('npu-health', 'health', health > 0, `health level ${health}`, { value: health });
  }
}

/**
 * A measured value as evidence text: at most one decimal (87.09927556 °C reads 87.1 °C); the
 * signal keeps the exact value for the rules.
 */
function num(x: number): string {
  return String(Math.round(x * 10) / 10);
}
