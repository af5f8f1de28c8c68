/**
 * The recordings opened in this window: "Open recording…" (the platform's file dialog or input),
 * a file dropped anywhere on the window, and the snapshot `osprey serve --snapshot` offers. Each
 * becomes a sidebar entry whose page is RecordingMain. Files are read in ranges, never whole
 * (browserFiles.ts); closing an entry stops its player.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

import { openedFileFromBlob } from '../platform/browserFiles.js';
import type { OpenedFile, Platform } from '../platform/Platform.js';
import { factoryForFile, type FileSourceFactory } from '../sources/SourceFactory.js';
import { RecordingMain } from './RecordingMain.js';
import type { Recording } from './snapshotSource.js';

export interface OpenRecording {
  id: string;
  recording: Recording;
  factory: FileSourceFactory<Recording>;
}

export interface Recordings {
  entries: readonly OpenRecording[];
  selected: string | undefined;
  select(id: string | undefined): void;
  /** Asks the platform for a file. */
  openDialog(): void;
  open(file: OpenedFile): void;
  /** Why the last open failed before a recording existed (dialog refused, no factory). */
  error: string | undefined;
  /** The selected recording's page. */
  main: ReactNode;
  /** The drop hint while a file is dragged over the window. */
  overlay: ReactNode;
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function useRecordings(
  platform: Platform,
  factories: readonly FileSourceFactory<Recording>[],
): Recordings {
  const [entries, setEntries] = useState<OpenRecording[]>([]);
  const [selected, setSelected] = useState<string>();
  const [error, setError] = useState<string>();
  const [dragging, setDragging] = useState(false);
  const next = useRef(0);
  // Every recording opened, for closing them with the page (not state: read in effects only).
  const opened = useRef<Recording[]>([]);

  const open = useCallback(
    (file: OpenedFile) => {
      const factory = factoryForFile(factories, file.name);
      if (!factory) {
        setError(`cannot open ${file.name}: this console opens no files`);
        return;
      }
      const id = `recording:${++next.current}`;
      setError(undefined);
      const recording = factory.create(file);
      opened.current.push(recording);
      setEntries((list) => [...list, { id, recording, factory }]);
      setSelected(id);
    },
    [factories],
  );

  const openDialog = useCallback(() => {
    const extensions = [...new Set(factories.flatMap((f) => f.extensions))];
    platform.openFile({ title: 'Open recording', extensions }).then(
      (file) => file && open(file),
      (e: unknown) => setError(errorText(e)),
    );
  }, [platform, factories, open]);

  // File → Open Recording… (desktop menu, Ctrl/Cmd+O): the same dialog as the sidebar's button.
  useEffect(() => {
    if (factories.length === 0) return undefined;
    return platform.onMenuCommand((command) => {
      if (command === 'open-recording') openDialog();
    });
  }, [platform, factories, openDialog]);

  // The file the host offers at start (`osprey serve --snapshot FILE`), opened once.
  const asked = useRef(false);
  useEffect(() => {
    if (asked.current) return;
    asked.current = true;
    platform.offeredFile().then(
      (file) => file && open(file),
      (e: unknown) => setError(`the offered snapshot could not be opened: ${errorText(e)}`),
    );
  }, [platform, open]);

  // Drag-and-drop anywhere on the window. Only drags that carry files are taken: text dragged
  // within the page keeps its default behaviour.
  useEffect(() => {
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      // Leaving the window (not moving between children) has no related target.
      if (e.relatedTarget === null) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (file) open(openedFileFromBlob(file, file.name));
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [open]);

  // Closed with the window's page: stop reading.
  useEffect(() => () => opened.current.forEach((r) => r.close()), []);

  const active = entries.find((e) => e.id === selected);
  return {
    entries,
    selected: active?.id,
    select: setSelected,
    openDialog,
    open,
    error,
    main: active ? (
      <RecordingMain
        key={active.id}
        recording={active.recording}
        capabilities={active.factory.capabilities}
      />
    ) : undefined,
    overlay: dragging ? (
      <div className="drop-overlay" aria-hidden>
        Drop a recording to open it
      </div>
    ) : undefined,
  };
}
