import { describe, expect, it } from 'vitest';
import { classifyFrame, makeFrame, pythonModule } from './classifyFrame.js';

describe('classifyFrame', () => {
  it.each([
    // Python: the package after site-packages / dist-packages, the stdlib module, else the directory.
    ['step', '/venv/lib/python3.11/site-packages/vllm/engine/llm_engine.py', 'python', 'vllm'],
    ['forward', '/usr/lib/python3/dist-packages/torch/nn/modules/linear.py', 'python', 'torch'],
    ['add', '/venv/lib/python3.11/site-packages/six.py', 'python', 'six'],
    ['dumps', '/usr/lib/python3.11/json/__init__.py', 'python', 'json'],
    ['_bootstrap', '/usr/lib/python3.11/threading.py', 'python', 'threading'],
    ['iterencode', 'json/encoder.py', 'python', 'json'],
    ['main', 'serve.py', 'python', 'serve'],
    ['_find_and_load', '<frozen importlib._bootstrap>', 'python', 'importlib'],
    // Native: the library's basename, or the executable's.
    ['unicode_hash', 'libpython3.11.so.1.0', 'native', 'libpython3.11.so.1.0'],
    ['malloc', '/usr/lib/x86_64-linux-gnu/libc.so.6', 'native', 'libc.so.6'],
    ['main', '/workdir/simple-terminates', 'native', 'simple-terminates'],
    ['runtime.mallocgc', '/usr/lib/go-1.19/src/runtime/malloc.go', 'native', 'runtime'],
    ['ncclAllReduce', '/usr/lib/libnccl.so.2', 'native', 'libnccl.so.2'],
    // Kernel and JIT.
    ['do_syscall_64', '[kernel.kallsyms]', 'kernel', 'kernel'],
    ['JS:*fib /tmp/h1/spin.js:2:13', '/tmp/perf-11185.map', 'jit', 'JIT'],
    ['[unknown] ([unknown])', '[unknown]', 'other', undefined],
  ])('%s in %s → %s, module %s', (name, file, kind, module) => {
    expect(classifyFrame(name, file)).toEqual({ kind, module });
  });

  it.each([
    ['void at::native::vectorized_elementwise_kernel<4, float>(int, float*)', 'CUDA'],
    ['ampere_sgemm_128x64_nn', 'CUDA'],
    ['sm80_xmma_gemm_f16f16_f16f32_f32_nn_n_tilesize96x128x32', 'CUDA'],
    ['ncclDevKernel_AllReduce_Sum_f16_RING_LL(ncclDevKernelArgsStorage<4096ul>)', 'NCCL'],
    ['cutlass::Kernel<cutlass_80_tensorop_s1688gemm_64x64_32x6_nn_align4>', 'CUDA'],
  ])('%s (no file) → a CUDA kernel in %s', (name, module) => {
    expect(classifyFrame(name)).toEqual({ kind: 'cuda-kernel', module });
  });

  it('a Python function named like a kernel is still Python', () => {
    expect(classifyFrame('nccl_all_reduce', '/srv/dist.py').kind).toBe('python');
  });

  it('names alone: C++ is native, JS: is JIT, anything else other', () => {
    expect(classifyFrame('std::vector<int>::push_back').kind).toBe('native');
    expect(classifyFrame('_Z4betav').kind).toBe('native');
    expect(classifyFrame('JS:~run node:internal/main:1').kind).toBe('jit');
    expect(classifyFrame('a')).toEqual({ kind: 'other', module: undefined });
  });

  it('makeFrame leaves out what the tool did not say', () => {
    expect(makeFrame('a')).toEqual({ name: 'a', kind: 'other' });
    expect(makeFrame('f', 'x.py', 3)).toEqual({
      name: 'f',
      file: 'x.py',
      line: 3,
      kind: 'python',
      module: 'x',
    });
  });

  it('pythonModule of a Windows path', () => {
    expect(pythonModule('C:\\Python311\\Lib\\site-packages\\numpy\\core\\numeric.py')).toBe(
      'numpy',
    );
  });
});
