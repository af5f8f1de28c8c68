/**
 * Files in a plain browser tab: a hidden `<input type="file">` to open, drag-and-drop (the shell
 * passes dropped files to openedFileFromBlob), and a download through an object URL to save.
 * An opened file is never read whole: `File.slice(o, o + n).arrayBuffer()` reads the ranges the
 * snapshot reader asks for, so a 1.4 GB recording opens without 1.4 GB of memory.
 */
import type { OpenedFile, OpenFileOptions } from './Platform.js';

/** A File (or any Blob with a name) as a file read in ranges. */
export function openedFileFromBlob(blob: Blob, name: string): OpenedFile {
  return {
    name,
    size: blob.size,
    read: async (offset, length) =>
      new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

/** The file input's `accept` for these options, e.g. `.mcap` (undefined: any file). */
export function acceptFor(options: OpenFileOptions | undefined): string | undefined {
  const extensions = options?.extensions?.filter((e) => /^[\w.-]{1,20}$/.test(e)) ?? [];
  return extensions.length ? extensions.map((e) => `.${e}`).join(',') : undefined;
}

/**
 * Shows the browser's file chooser; null when the user cancels (Chromium ≥ 113 and Firefox ≥ 91
 * fire `cancel`; elsewhere the promise simply waits, which is what the user sees anyway).
 */
export function pickFile(doc: Document, options?: OpenFileOptions): Promise<OpenedFile | null> {
  return new Promise((resolve) => {
    const input = doc.createElement('input');
    input.type = 'file';
    input.hidden = true;
    input.dataset.testid = 'open-file-input';
    const accept = acceptFor(options);
    if (accept) input.accept = accept;
    const done = (file: OpenedFile | null) => {
      input.remove();
      resolve(file);
    };
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      done(file ? openedFileFromBlob(file, file.name) : null);
    });
    input.addEventListener('cancel', () => done(null));
    // In the document so a test (Playwright setInputFiles) can find it while the chooser is up.
    doc.body.append(input);
    input.click();
  });
}

/** Starts a download of `data` as `name`. */
export function downloadFile(doc: Document, name: string, data: Uint8Array | Blob): void {
  const blob =
    data instanceof Blob
      ? data
      : new Blob([data as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });
  const url = URL.createObjectURL(blob);
  const anchor = doc.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.hidden = true;
  doc.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty to start it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
