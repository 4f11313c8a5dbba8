// A drag handle between two panes. Reports the size of the pane before it (or after it, with
// `reverse`), and also moves with the arrow keys so it is usable without a mouse.
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

export interface SplitterProps {
  orientation: 'vertical' | 'horizontal';
  label: string;
  size: number;
  onResize(size: number): void;
  /** The resized pane is after the handle (the console under the editor). */
  reverse?: boolean;
}

export function Splitter({ orientation, label, size, onResize, reverse }: SplitterProps) {
  const start = useRef<{ pointer: number; size: number } | null>(null);
  const axis = (event: PointerEvent) => (orientation === 'vertical' ? event.clientX : event.clientY);
  const sign = reverse ? -1 : 1;

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    event.currentTarget.setPointerCapture(event.pointerId);
    start.current = { pointer: axis(event), size };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (start.current) onResize(start.current.size + sign * (axis(event) - start.current.pointer));
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.shiftKey ? 40 : 10;
    const keys = orientation === 'vertical' ? { less: 'ArrowLeft', more: 'ArrowRight' } : { less: 'ArrowUp', more: 'ArrowDown' };
    if (event.key === keys.less) onResize(size - sign * step);
    else if (event.key === keys.more) onResize(size + sign * step);
  };

  return (
    <div
      role="separator"
      aria-label={label}
      aria-orientation={orientation}
      aria-valuenow={size}
      tabIndex={0}
      className={`splitter splitter-${orientation}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={() => (start.current = null)}
      onKeyDown={onKeyDown}
    />
  );
}
