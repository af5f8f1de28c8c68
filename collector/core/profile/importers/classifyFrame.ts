/**
 * What a frame is (python, native, kernel, CUDA kernel, JIT) and which module it belongs to, from
 * its name and file alone: every importer calls this so "colour by kind/module" means the same
 * thing whichever tool wrote the file.
 */
import type { Frame, FrameKind } from '../model.js';

export interface FrameClass {
  readonly kind: FrameKind;
  /** Python package, shared library basename, "kernel", "CUDA"/"NCCL", "JIT". */
  readonly module?: string | undefined;
}

const KERNEL: FrameClass = { kind: 'kernel', module: 'kernel' };
const JIT: FrameClass = { kind: 'jit', module: 'JIT' };
const CUDA: FrameClass = { kind: 'cuda-kernel', module: 'CUDA' };
const NCCL: FrameClass = { kind: 'cuda-kernel', module: 'NCCL' };
const OTHER: FrameClass = { kind: 'other' };

/** Architecture prefixes cuBLAS/cuDNN kernels carry: `ampere_sgemm_128x64_nn`, `sm80_xmma_…`. */
const CUDA_PREFIX = /^(?:ampere|volta|turing|hopper|maxwell|pascal|sm\d{2,3}|sm\d{2,3}a)_/;
/** Native source files (pprof and DWARF-symbolised perf give these, not a library). */
const NATIVE_SOURCE = /\.(?:c|cc|cpp|cxx|h|hpp|go|rs|s|S|zig|cu|cuh)$/;
/** A shared library: `libc.so.6`, `libpython3.11.so.1.0`, `libcuda.so`, `foo.dylib`, `x.dll`. */
const SHARED_LIBRARY = /\.(?:so(?:\.\d+)*|dylib|dll)$/;
/** Linux perf's map for JIT'd code (Node --perf-basic-prof, Python 3.12 -X perf). */
const PERF_MAP = /\/perf-\d+\.map$/;

function basename(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return slash >= 0 ? path.slice(slash + 1) : path;
}

/**
 * A Python file's package: the top-level name after site-packages/dist-packages (`torch`,
 * `vllm`), the stdlib module after `pythonX.Y/` (`json`, `threading`), else the file's directory,
 * else the file's own stem (a script run directly).
 */
export function pythonModule(file: string): string {
  if (file.startsWith('<frozen ')) {
    const name = file.slice(8, file.endsWith('>') ? -1 : undefined);
    const dot = name.indexOf('.');
    return dot > 0 ? name.slice(0, dot) : name;
  }
  const parts = file.split(/[\\/]/);
  for (let i = parts.length - 2; i >= 0; i--) {
    const p = parts[i]!;
    if (p === 'site-packages' || p === 'dist-packages' || /^python\d+(?:\.\d+)*$/.test(p)) {
      return stem(parts[i + 1]!);
    }
  }
  if (parts.length >= 2 && parts[parts.length - 2] !== '') return parts[parts.length - 2]!;
  return stem(parts[parts.length - 1]!);
}

function stem(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

function isPythonFile(file: string): boolean {
  return (
    file.endsWith('.py') ||
    file.endsWith('.pyc') ||
    file.endsWith('.pyw') ||
    file.startsWith('<frozen ') ||
    file === '<string>' ||
    file === '<stdin>'
  );
}

/** A name as CUDA writes kernels: `void at::native::foo<float>(…)`, `ampere_…`, `nccl…`, `cutlass…`. */
export function looksLikeCudaKernel(name: string): FrameClass | undefined {
  const lower = name.toLowerCase();
  if (lower.includes('nccl')) return NCCL;
  if (lower.includes('cutlass')) return CUDA;
  if (CUDA_PREFIX.test(name)) return CUDA;
  if (name.startsWith('void ') && name.includes('<') && name.includes('(')) return CUDA;
  return undefined;
}

/**
 * Kind and module of a frame. `file` is what the tool wrote beside the name: a Python or native
 * source file, or (perf, py-spy --native) the DSO the address is in.
 */
export function classifyFrame(name: string, file?: string): FrameClass {
  if (file !== undefined && file !== '') {
    if (file === '[kernel.kallsyms]' || file.startsWith('[kernel')) return KERNEL;
    if (file === '[jit]' || PERF_MAP.test(file) || file.startsWith('//anon')) return JIT;
    if (isPythonFile(file)) return { kind: 'python', module: pythonModule(file) };
    if (file === '[unknown]') return OTHER;
    if (SHARED_LIBRARY.test(file)) return { kind: 'native', module: basename(file) };
    if (NATIVE_SOURCE.test(file)) {
      const parts = file.split(/[\\/]/);
      return { kind: 'native', module: parts.length >= 2 ? parts[parts.length - 2] : undefined };
    }
    if (file === '[vdso]' || file === '[vsyscall]') return { kind: 'native', module: file };
    // An executable path (`/workdir/simple-terminates`, `/usr/bin/python3.11`).
    if (file.startsWith('/') && !/\.(?:js|mjs|cjs|ts|java|rb|php|lua)$/.test(file)) {
      return { kind: 'native', module: basename(file) };
    }
  }
  const cuda = looksLikeCudaKernel(name);
  if (cuda !== undefined) return cuda;
  if (name.startsWith('JS:') || name.startsWith('LazyCompile:') || name.startsWith('[jit]')) {
    return JIT;
  }
  if (name.startsWith('_Z') || name.includes('::')) return { kind: 'native' };
  return OTHER;
}

/** A Frame with its kind and module filled in. */
export function makeFrame(name: string, file?: string, line?: number): Frame {
  const c = classifyFrame(name, file);
  const frame: { -readonly [K in keyof Frame]: Frame[K] } = { name, kind: c.kind };
  if (file !== undefined && file !== '') frame.file = file;
  if (line !== undefined && Number.isFinite(line)) frame.line = line;
  if (c.module !== undefined) frame.module = c.module;
  return frame;
}
