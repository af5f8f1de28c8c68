/**
 * One accelerator's readings from one tick to the next, driven by how busy its engine is (u, 0–1)
 * and by the faults active on it. The couplings real boards show:
 * - power follows utilization (idle draw + a convex share of the headroom, per-board efficiency);
 *   above the limit it is pinned there and NVML reports sw_power_cap (0x4), clocks give way;
 * - temperature lags power: first-order approach (τ = 25 s) to ambient + wattsToC·power;
 * - SM clock sits at idle when nothing runs (and NVML says gpu_idle, 0x1), at boost otherwise, in
 *   15 MHz steps, lower under a power cap or thermal slowdown (0x20, and 0x40 past slowdownC);
 * - memory is what the engine reserved at start (vLLM's --gpu-memory-utilization), not load.
 */
import type { DeviceSpec } from './fleet.js';
import type { Rng } from './prng.js';

export interface DeviceFaults {
  /** Xid 79: gone until reset. */
  lost: boolean;
  /** Tick at which each timed fault ends; -1 when inactive. */
  dbeUntil: number;
  thermalUntil: number;
  powerUntil: number;
  npuUntil: number;
  npuCode: string | undefined;
}

export interface DeviceState {
  util: number;
  memUsedMiB: number;
  temp: number;
  power: number;
  clock: number;
  throttle: number;
  ecc: number;
  health: number;
  aicpu: number;
  aivector: number;
  /** Last Xid seen (DCGM_FI_DEV_XID_ERRORS), 0 before any. */
  lastXid: number;
  /** Integrated energy (DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION, mJ). */
  energyMj: number;
  faults: DeviceFaults;
}

const THERMAL_TAU_S = 25;

export function initialDevice(spec: DeviceSpec): DeviceState {
  return {
    util: 0,
    memUsedMiB: 0,
    temp: spec.hw.ambientC + spec.thermalOffsetC + spec.hw.wattsToC * spec.hw.idlePowerW,
    power: spec.hw.idlePowerW,
    clock: spec.hw.idleClockMHz,
    throttle: 0,
    ecc: 0,
    health: 0,
    aicpu: 0,
    aivector: 0,
    lastXid: 0,
    energyMj: 0,
    faults: {
      lost: false,
      dbeUntil: -1,
      thermalUntil: -1,
      powerUntil: -1,
      npuUntil: -1,
      npuCode: undefined,
    },
  };
}

/** `reservedMiB`: what the engine holds (0 when no engine uses the device). */
export function stepDevice(
  spec: DeviceSpec,
  s: DeviceState,
  u: number,
  reservedMiB: number,
  dt: number,
  rng: Rng,
): void {
  const hw = spec.hw;
  const f = s.faults;
  // Draws happen whatever the state, so a fault never shifts the random stream of later ticks.
  const nUtil = rng.normal();
  const nPower = rng.normal();
  const nTemp = rng.normal();
  const nMem = rng.normal();
  const nAux = rng.next();
  if (f.lost) {
    s.health = 3;
    return;
  }
  const thermal = f.thermalUntil >= 0;
  const capped = f.powerUntil >= 0;
  s.util = u > 0 ? clamp(Math.round(100 * u + 2 * nUtil), 0, 100) : 0;
  const busy = s.util / 100;
  let draw =
    hw.idlePowerW +
    (hw.powerLimitW - hw.idlePowerW) * spec.powerFactor * (0.06 + 0.94 * busy ** 1.25);
  draw *= 1 + 0.015 * nPower;
  if (thermal) draw *= 0.8;
  const atLimit = capped || draw >= hw.powerLimitW;
  s.power = atLimit ? hw.powerLimitW * (0.985 + 0.015 * nAux) : draw;
  s.energyMj += s.power * dt * 1000;

  // A thermal fault is a cooling failure: the board heads past its slowdown threshold.
  const normal = hw.ambientC + spec.thermalOffsetC + hw.wattsToC * s.power;
  const target = thermal ? Math.max(normal + 20, hw.slowdownC + 6) : normal;
  s.temp += (target - s.temp) * (1 - Math.exp(-dt / THERMAL_TAU_S)) + 0.2 * nTemp;
  const hot = s.temp >= hw.slowdownC;

  let clock = s.util === 0 ? hw.idleClockMHz : hw.maxClockMHz;
  if (s.util > 0 && atLimit) clock *= capped ? 0.8 : 0.93;
  if (s.util > 0 && thermal) clock *= 0.6;
  s.clock = hw.vendor === 'nvidia' ? Math.round(clock / 15) * 15 : Math.round(clock);

  s.throttle = 0;
  if (hw.vendor === 'nvidia') {
    if (s.util === 0) s.throttle |= 0x1;
    if (atLimit) s.throttle |= 0x4;
    if (thermal || hot) s.throttle |= 0x20;
    if (thermal && hot) s.throttle |= 0x40;
  }

  const idleMiB = hw.vendor === 'ascend' ? 3369 : 0;
  s.memUsedMiB =
    reservedMiB > 0 ? Math.round(clamp(reservedMiB + 64 * nMem, 0, hw.memoryMiB)) : idleMiB;
  s.health = f.dbeUntil >= 0 || f.npuUntil >= 0 ? 2 : thermal ? 1 : 0;
  if (hw.vendor === 'ascend') {
    s.aicpu = clamp(Math.round(2 + 12 * busy + nAux * 3), 0, 100);
    s.aivector = clamp(Math.round(s.util * (0.35 + 0.15 * nAux)), 0, 100);
  }
}

/** How much slower the device runs than at full clock (1 = not at all). */
export function slowdown(spec: DeviceSpec, s: DeviceState): number {
  if (s.faults.lost || s.util === 0 || s.clock <= 0) return 1;
  return Math.max(1, spec.hw.maxClockMHz / s.clock);
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
