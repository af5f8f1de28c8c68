/**
 * Plain words for the Xids an inference cluster meets most. The meaning of each comes from the
 * catalogs in ../shared/reference/contracts.md §3.6: dcgm-exporter's Xid texts
 * (internal/pkg/collector/xid_errors.go), NVSentinel's mnemonic and resolution, and NVIDIA's Xid
 * catalog page (XID_CATALOG_URL). `what` follows the device label in a title ("GPU 3 fell off the
 * PCIe bus"); `impact` says what it does to serving and, when absent, the bucket's default impact
 * applies (advice.ts).
 */
export interface XidMeaning {
  what: string;
  cause: string;
  impact?: string;
}

const NVLINK5: XidMeaning = {
  what: 'reported an NVLink error',
  cause:
    'An NVLink5 (Blackwell-generation) link error reported by the link hardware (NVSentinel ' +
    'WORKFLOW_NVLINK5_ERR); an Xid 45 on the same GPU right after it is its cleanup.',
  impact:
    'Work that uses this GPU’s NVLinks (tensor-parallel collectives) fails; engines spanning it ' +
    'stop serving until the GPU is reset',
};

export const XID_MEANINGS: Readonly<Record<number, XidMeaning>> = {
  8: {
    what: 'stopped processing (channel idle timeout)',
    cause: 'The GPU stopped processing work on a channel; usually the application’s kernel hung.',
  },
  13: {
    what: 'had a graphics engine exception',
    cause:
      'A graphics/compute engine exception, most often an application bug (illegal address, ' +
      'out-of-range access); when every GPU of a node reports it at once, the driver or node ' +
      'is the more likely cause.',
  },
  31: {
    what: 'had a GPU memory page fault',
    cause:
      'An MMU fault: the application (or the driver) touched GPU memory it had not mapped; ' +
      'usually an application bug.',
  },
  32: {
    what: 'received a corrupted push buffer',
    cause: 'An invalid or corrupted push buffer stream reached the GPU (driver or application).',
  },
  43: {
    what: 'reset a channel after an application fault',
    cause:
      'The GPU stopped processing a channel and reset it, following an application fault; the ' +
      'Xid before it on this GPU says why.',
    impact: 'The faulting process lost its work; other processes on the GPU carry on',
  },
  45: {
    what: 'cleaned up channels after an earlier error',
    cause:
      'Preemptive cleanup (channels removed) because of earlier errors on this GPU; the Xid ' +
      'before it says why.',
    impact: 'The processes whose channels were removed lost their work',
  },
  46: {
    what: 'stopped processing (GPU timeout)',
    cause: 'The GPU stopped processing and did not recover by itself.',
  },
  48: {
    what: 'had a double-bit ECC error',
    cause:
      'An uncorrectable (double-bit) ECC error in GPU memory. On GPUs with row remapping the ' +
      'bad row is remapped at the next GPU reset; a failed remap means the board needs service.',
    impact:
      'The process using that memory was killed and its requests failed; the GPU needs a reset ' +
      'before it is trusted again',
  },
  62: {
    what: 'had an internal micro-controller halt',
    cause: 'The GPU’s internal micro-controller (PMU) halted.',
  },
  63: {
    what: 'recorded a memory page retirement or row remap',
    cause:
      'The GPU recorded an ECC page retirement or row remapping in its InfoROM; it takes effect ' +
      'at the next GPU reset.',
    impact: 'No effect on serving now; the remap is applied at the next GPU reset',
  },
  64: {
    what: 'failed to record a memory page retirement or row remap',
    cause: 'Recording an ECC page retirement or row remap in the InfoROM failed.',
  },
  74: {
    what: 'reported an NVLink error',
    cause: 'An NVLink error between GPUs (or GPU and NVSwitch) detected by the link hardware.',
    impact:
      'Work that uses this GPU’s NVLinks (tensor-parallel collectives) fails; engines spanning it ' +
      'stop serving until the GPU is reset',
  },
  79: {
    what: 'fell off the PCIe bus',
    cause:
      'The GPU stopped answering on PCIe: a hardware, power, PCIe link or driver fault; the ' +
      'driver can no longer reach it.',
    impact: 'GPU unusable until the node is rebooted; every engine on it stops serving',
  },
  92: {
    what: 'had a high single-bit ECC error rate',
    cause: 'Single-bit ECC errors (corrected) at a high rate.',
    impact:
      'No effect on serving by itself (the errors were corrected); a warning sign for the memory',
  },
  94: {
    what: 'had a contained ECC error',
    cause: 'An uncorrectable ECC error that the GPU contained to the process using the memory.',
    impact: 'Requests of the affected process failed; that process must restart, others carry on',
  },
  95: {
    what: 'had an uncontained ECC error',
    cause: 'An uncorrectable ECC error the GPU could not contain to one process.',
    impact: 'Every process on this GPU is affected; the GPU needs a reset before it is used again',
  },
  109: {
    what: 'timed out switching contexts',
    cause: 'A context switch timed out on the GPU.',
  },
  119: {
    what: 'timed out waiting for its GSP firmware',
    cause: 'An RPC to the GPU System Processor (GSP firmware) timed out.',
  },
  120: {
    what: 'reported a GSP firmware error',
    cause: 'The GPU System Processor (GSP firmware) reported an error.',
  },
  136: {
    what: 'failed NVLink training (ALI)',
    cause: 'Autonomous link initialisation (ALI) training of an NVLink failed.',
  },
  140: {
    what: 'had an unrecoverable ECC error escape',
    cause: 'An ECC error escaped containment and could not be recovered.',
  },
  144: NVLINK5,
  145: NVLINK5,
  146: NVLINK5,
  147: NVLINK5,
  148: NVLINK5,
  149: NVLINK5,
  150: NVLINK5,
  154: {
    what: 'changed its recovery action',
    cause:
      'The driver changed the GPU’s recommended recovery action (nvidia-smi gpu_recovery_action) ' +
      'because of another Xid; that Xid’s advice applies.',
    impact: 'Depends on the Xid that caused it',
  },
  155: {
    what: 'reported a software-defined NVLink error',
    cause: 'A software-defined NVLink error (NVSentinel: NVLINK_SW_DEFINED_ERROR).',
  },
  156: {
    what: 'retired a resource',
    cause: 'A resource retirement event (NVSentinel: RESOURCE_RETIREMENT_EVENT).',
  },
  158: {
    what: 'hit a fatal timeout',
    cause: 'A fatal timeout in the GPU (NVSentinel: GPU_FATAL_TIMEOUT).',
  },
};
