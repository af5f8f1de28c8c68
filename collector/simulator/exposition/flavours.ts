/**
 * The engine flavours the simulator's /metrics can speak, one per engine family the console reads
 * (collector/core/prometheus/families.ts, ENGINE_FAMILY_IDS), plus vLLM's older naming generation
 * as a flavour of its own so one run can hold a fleet mid-upgrade. Each flavour says which family
 * it is, which vLLM naming generation its names follow, and which engine the simulation models
 * (SGLang's histograms differ from vLLM's; the vLLM-based flavours — Ray Serve, NIM — and TGI are
 * simulated as vLLM and only named otherwise). `--engine-flavours` spreads engines over the chosen
 * flavours in fleet order (engine k gets flavour k mod n), so a run shows every flavour.
 */
import { ENGINE_FAMILY_IDS, type EngineFamilyId } from '../../core/prometheus/families.js';
import type { Framework } from '../fleet.js';
import type { VllmNames } from './engineNames.js';

export interface FlavourSpec {
  family: EngineFamilyId;
  names: VllmNames;
  framework: Framework;
}

const OLD_VLLM = 'vllm-old';

export type EngineFlavour = EngineFamilyId | typeof OLD_VLLM;

/** NIM for LLMs exposes vLLM's pre-0.11 names (time_per_output_token_seconds). */
const NAMES: Partial<Record<EngineFamilyId, VllmNames>> = { nim: 'old' };

export const FLAVOURS: Readonly<Record<EngineFlavour, FlavourSpec>> = {
  ...(Object.fromEntries(
    ENGINE_FAMILY_IDS.map((family) => [
      family,
      {
        family,
        names: NAMES[family] ?? 'new',
        framework: family === 'sglang' ? 'sglang' : 'vllm',
      } satisfies FlavourSpec,
    ]),
  ) as Record<EngineFamilyId, FlavourSpec>),
  [OLD_VLLM]: { family: 'vllm', names: 'old', framework: 'vllm' },
};

export const FLAVOUR_NAMES: readonly EngineFlavour[] = [
  'vllm',
  OLD_VLLM,
  ...ENGINE_FAMILY_IDS.filter((f) => f !== 'vllm'),
];

/** `vllm,ray-vllm,nim` → flavours; `-` and `_` are the same (ray-vllm = ray_vllm). */
export function parseFlavours(text: string): EngineFlavour[] {
  const out: EngineFlavour[] = [];
  for (const raw of text.split(',')) {
    const word = raw.trim().toLowerCase();
    if (word === '') continue;
    const id = word === OLD_VLLM ? word : word.replace(/-/g, '_');
    if (!(id in FLAVOURS)) {
      throw new Error(`"${raw.trim()}" is not an engine flavour (${FLAVOUR_NAMES.join(', ')})`);
    }
    if (!out.includes(id as EngineFlavour)) out.push(id as EngineFlavour);
  }
  if (out.length === 0) throw new Error(`no engine flavour given (${FLAVOUR_NAMES.join(', ')})`);
  return out;
}
