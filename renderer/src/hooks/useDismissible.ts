import { useEffect, useRef, useState, type RefObject } from 'react';

/**
 * An open/closed popover that closes on Escape or a press outside its root element: the
 * problems list and the Record panel behave alike.
 */
export function useDismissible(): {
  open: boolean;
  setOpen: (open: boolean) => void;
  root: RefObject<HTMLDivElement | null>;
} {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return undefined;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (
        event instanceof KeyboardEvent
          ? event.key === 'Escape'
          : !root.current?.contains(event.target as Node)
      ) {
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  return { open, setOpen, root };
}
