/** A file that cannot be read as a snapshot: the message names what is wrong and where (byte). */
export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}
