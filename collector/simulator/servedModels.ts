/**
 * What the simulated engines serve, with the per-model costs the latency model starts from
 * (measured on one H100 at low load, roughly what public vLLM benchmarks report; divided by the
 * hardware's speed below): prefill of a ~1k-token prompt, inter-token latency and typical prompt and
 * output lengths.
 */
export interface ServedModel {
  name: string;
  /** Tensor-parallel sizes this model is deployed with (smallest first). */
  tp: readonly number[];
  prefillS: number;
  interTokenS: number;
  outputTokens: number;
  promptTokens: number;
}

export const SERVED_MODELS: readonly ServedModel[] = [
  {
    name: 'meta-llama/Llama-3.1-8B-Instruct',
    tp: [1, 2],
    prefillS: 0.035,
    interTokenS: 0.009,
    outputTokens: 220,
    promptTokens: 900,
  },
  {
    name: 'Qwen/Qwen3-32B',
    tp: [2, 4],
    prefillS: 0.09,
    interTokenS: 0.02,
    outputTokens: 600,
    promptTokens: 1200,
  },
  {
    name: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B',
    tp: [2, 4],
    prefillS: 0.1,
    interTokenS: 0.021,
    outputTokens: 900,
    promptTokens: 700,
  },
  {
    name: 'meta-llama/Llama-3.1-70B-Instruct',
    tp: [4, 8],
    prefillS: 0.16,
    interTokenS: 0.028,
    outputTokens: 260,
    promptTokens: 1100,
  },
  {
    name: 'Qwen/Qwen2.5-72B-Instruct',
    tp: [4, 8],
    prefillS: 0.17,
    interTokenS: 0.03,
    outputTokens: 300,
    promptTokens: 1300,
  },
];

/** Throughput relative to an H100 (dense bf16 inference, rough public figures). */
export const HARDWARE_SPEED: Readonly<Record<string, number>> = {
  h100: 1,
  a100: 0.6,
  l40s: 0.45,
  '910b3': 0.55,
  '910b4': 0.45,
};
