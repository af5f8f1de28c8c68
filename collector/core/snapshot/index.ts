export {
  SnapshotReader,
  type SnapshotReaderOptions,
  type StoredAttachment,
} from './SnapshotReader.js';
export { SnapshotWriter, type ByteSink, type SnapshotWriterOptions } from './SnapshotWriter.js';
export { SnapshotError } from './SnapshotError.js';
export { Redactor } from './Redactor.js';
export { bytesReadable, type RandomAccessReadable } from './RandomAccessReadable.js';
export { formatBytes, formatSpan } from './describe.js';
export { type SnapshotMetadata, MAX_RECORD_BYTES, topicOf } from './format.js';
export {
  parsePrometheusAnswer,
  requestKey,
  requestParam,
  type PrometheusAnswer,
} from './prometheusAnswer.js';
