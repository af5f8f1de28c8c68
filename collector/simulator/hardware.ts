/**
 * The accelerator models a simulated node can hold. NVIDIA figures are from real nvidia-smi captures
 * (collector/probes/nvidia/fixtures; utkuozdemir/nvidia_gpu_exporter internal/captures) where one
 * exists: H100 80GB HBM3 (81559 MiB, 700 W limit, 69.85 W idle, SM 345→1980 MHz, PCIe gen 5, fan
 * `[N/A]`) and L40S (46068 MiB, 350 W, SM 2520 MHz, gen 4, fan `[N/A]`); A100-SXM4-80GB from its
 * datasheet (81920 MiB, 400 W, 1410 MHz boost, gen 4) and its slowdown temperature from a real
 * `nvidia-smi -q -x` (telegraf's a100-sxm4-v12.xml, in collector/probes/nvidia/fixtures:
 * `gpu_temp_slow_threshold` 89 C). Ascend figures follow npu-smi captures of
 * 910B3 (65536 MB HBM, ~96 W idle; vllm-ascend issue 1155) and the 910B4's 32768 MB HBM; their
 * power ceilings and AI Core clocks are approximate, and npu-smi reports no power limit or fan.
 */
import type { Vendor } from '../core/model.js';

export interface HardwareModel {
  /** As the vendor tool prints it (nvidia-smi `name`, npu-smi `Name`). */
  name: string;
  vendor: Vendor;
  memoryMiB: number;
  /** Enforced power limit (W); the ceiling power capping pins the draw to. */
  powerLimitW: number;
  idlePowerW: number;
  /** SM (NVIDIA) or AI Core (Ascend) clock at full speed and at idle (MHz). */
  maxClockMHz: number;
  idleClockMHz: number;
  pcieGen: number;
  /** Whether the tool reports a fan: passively cooled SXM/OAM and data-centre PCIe boards do not. */
  fan: boolean;
  /** Steady-state temperature ≈ ambientC + wattsToC × power (°C). */
  ambientC: number;
  wattsToC: number;
  /** Temperature at which the firmware starts thermal slowdown (°C). */
  slowdownC: number;
  driver: string;
  firmware: string;
}

export const HARDWARE: Readonly<Record<string, HardwareModel>> = {
  h100: {
    name: 'NVIDIA H100 80GB HBM3',
    vendor: 'nvidia',
    memoryMiB: 81559,
    powerLimitW: 700,
    idlePowerW: 69.85,
    maxClockMHz: 1980,
    idleClockMHz: 345,
    pcieGen: 5,
    fan: false,
    ambientC: 32,
    wattsToC: 0.045,
    slowdownC: 87,
    driver: '590.48.01',
    firmware: '96.00.A5.00.01',
  },
  a100: {
    name: 'NVIDIA A100-SXM4-80GB',
    vendor: 'nvidia',
    memoryMiB: 81920,
    powerLimitW: 400,
    idlePowerW: 58,
    maxClockMHz: 1410,
    idleClockMHz: 210,
    pcieGen: 4,
    fan: false,
    ambientC: 30,
    wattsToC: 0.08,
    slowdownC: 89,
    driver: '550.127.05',
    firmware: '92.00.45.00.06',
  },
  l40s: {
    name: 'NVIDIA L40S',
    vendor: 'nvidia',
    memoryMiB: 46068,
    powerLimitW: 350,
    idlePowerW: 35,
    maxClockMHz: 2520,
    idleClockMHz: 210,
    pcieGen: 4,
    fan: false,
    ambientC: 34,
    wattsToC: 0.09,
    slowdownC: 88,
    driver: '595.80',
    firmware: '95.02.66.00.02',
  },
  '910b3': {
    name: '910B3',
    vendor: 'ascend',
    memoryMiB: 65536,
    powerLimitW: 350,
    idlePowerW: 96,
    maxClockMHz: 1800,
    idleClockMHz: 800,
    pcieGen: 5,
    fan: false,
    ambientC: 30,
    wattsToC: 0.075,
    slowdownC: 90,
    driver: '24.1.rc2',
    firmware: '7.5.0.1.129',
  },
  '910b4': {
    name: '910B4',
    vendor: 'ascend',
    memoryMiB: 32768,
    powerLimitW: 300,
    idlePowerW: 82,
    maxClockMHz: 1650,
    idleClockMHz: 800,
    pcieGen: 4,
    fan: false,
    ambientC: 30,
    wattsToC: 0.08,
    slowdownC: 90,
    driver: '24.1.rc2',
    firmware: '7.5.0.1.129',
  },
};

/** How often each model appears in a fleet (weights, not shares). */
export const HARDWARE_MIX: readonly (readonly [keyof typeof HARDWARE, number])[] = [
  ['h100', 4],
  ['a100', 2],
  ['l40s', 1],
  ['910b3', 2],
  ['910b4', 1],
];
