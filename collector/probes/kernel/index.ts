/** The kernel log probe (/dev/kmsg, journalctl -k, dmesg) and where it keeps its read position. */
export { createKernelProbe, KernelProbe, type KernelProbeOptions } from './KernelProbe.js';
export { defaultPositionPath } from './PositionStore.js';
