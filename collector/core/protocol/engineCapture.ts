/**
 * "Profile this engine on all its nodes" (issue 13, item 5): a capture asked by engine rather
 * than by pid. Engines carry no pid (their labels are engine, model, framework; the engine label is
 * usually the scrape target `host:port`), so the node's agent resolves the target to its process:
 * the one listening on the port, else the Python processes whose command line names the framework
 * (collector/profiling/engineProcess.ts).
 *
 * Additive to protocol v1: a capture request carries `engine` in place of `pid`. An agent older
 * than this form refuses it as invalid (its schema requires `pid`), which the requester reports as
 * an agent that captures by pid only.
 */
import {
  CaptureError,
  checkCaptureRequest,
  DEFAULT_CAPTURE_SECONDS,
  type CaptureRequest,
} from './profileCapture.js';

export interface EngineTarget {
  /** The engine's `framework` label: vllm, sglang, tgi, trtllm, lmdeploy, llamacpp… */
  readonly framework: string;
  /** The TCP port the engine serves on (from its `host:port` engine label), when known. */
  readonly port?: number | undefined;
}

export interface EngineCaptureRequest {
  readonly engine: EngineTarget;
  readonly durationS: number;
  readonly native?: boolean | undefined;
}

/** A capture asked either way, as every door takes it. */
export type AnyCaptureRequest = CaptureRequest | EngineCaptureRequest;

export function isEngineRequest(request: AnyCaptureRequest): request is EngineCaptureRequest {
  return 'engine' in request;
}

const FRAMEWORK = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;

/** The engine form checked like the pid form (duration bounds, native); nothing else accepted. */
export function checkEngineCaptureRequest(value: unknown): EngineCaptureRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CaptureError(
      'invalid',
      'an engine capture request is an object {engine: {framework, port?}, durationS, native?}',
    );
  }
  const { engine, durationS, native } = value as Record<string, unknown>;
  if (typeof engine !== 'object' || engine === null || Array.isArray(engine)) {
    throw new CaptureError('invalid', 'engine must be an object {framework, port?}');
  }
  const { framework, port } = engine as Record<string, unknown>;
  if (typeof framework !== 'string' || !FRAMEWORK.test(framework)) {
    throw new CaptureError(
      'invalid',
      `engine.framework must be a framework name such as "vllm", got ${JSON.stringify(framework)?.slice(0, 40)}`,
    );
  }
  if (
    port !== undefined &&
    (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
  ) {
    throw new CaptureError(
      'invalid',
      `engine.port must be a TCP port (1–65535), got ${String(port)}`,
    );
  }
  // Duration and native share the pid form's checks (and messages); pid 1 only fills the form.
  const rest = checkCaptureRequest({
    pid: 1,
    durationS: durationS ?? DEFAULT_CAPTURE_SECONDS,
    native,
  });
  const target: EngineTarget = port === undefined ? { framework } : { framework, port };
  return rest.native
    ? { engine: target, durationS: rest.durationS, native: true }
    : { engine: target, durationS: rest.durationS };
}

/** Either form, checked: `engine` present means the engine form. */
export function checkAnyCaptureRequest(value: unknown): AnyCaptureRequest {
  if (typeof value === 'object' && value !== null && 'engine' in value) {
    if ('pid' in value) {
      throw new CaptureError('invalid', 'a capture request names a pid or an engine, not both');
    }
    return checkEngineCaptureRequest(value);
  }
  return checkCaptureRequest(value);
}

/** "vllm on port 8000", "sglang" — for labels and messages. */
export function describeEngine(target: EngineTarget): string {
  return target.port === undefined
    ? target.framework
    : `${target.framework} on port ${target.port}`;
}

/** "pid 4121" or "vllm on port 8000": what a capture was of. */
export function describeCaptureTarget(request: AnyCaptureRequest): string {
  return isEngineRequest(request) ? describeEngine(request.engine) : `pid ${request.pid}`;
}

/**
 * The port of an engine label that is a scrape target: `10.0.0.7:8000`, `[fe80::1]:8000`,
 * `http://node-3:30000/metrics`. Undefined for a label that names no port (`vllm-0`).
 */
export function portOfEngineLabel(label: string): number | undefined {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:\[[0-9a-f:.]+\]|[^\s/:[\]]+):(\d{1,5})(?:\/.*)?$/i.exec(
    label.trim(),
  );
  if (!m) return undefined;
  const port = Number(m[1]);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/**
 * An agent older than the engine form checks requests against a union without it and answers
 * `invalid` ("profile request: …"); said plainly, with what to do.
 */
export function olderAgent(error: unknown, request: AnyCaptureRequest, node: string): unknown {
  if (
    isEngineRequest(request) &&
    error instanceof CaptureError &&
    error.kind === 'invalid' &&
    error.message.startsWith('profile request:')
  ) {
    return new CaptureError(
      'invalid',
      `the agent on ${node} profiles by pid only (an osprey older than engine targets): upgrade it to profile an engine (it said: ${error.message})`,
    );
  }
  return error;
}
