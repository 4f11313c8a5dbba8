// A window over a long list of rows of one fixed height: which rows to draw for a scroll position.
// O(visible rows) per redraw whatever the list length, where a general virtualizer keeps a measurement
// per row and rebuilds them all whenever the count changes (100k objects per redraw on a full Ol-Fi buffer).
import { useLayoutEffect, useState, type RefObject } from 'react';

export interface RowWindow {
  /** First row to draw (inclusive) and the row after the last (exclusive). */
  start: number;
  end: number;
  totalHeight: number;
}

export function rowWindow(count: number, rowHeight: number, scrollTop: number, viewportHeight: number, overscan: number): RowWindow {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.min(count, Math.max(0, first - overscan));
  const end = Math.min(count, first + visible + overscan);
  return { start, end, totalHeight: count * rowHeight };
}

/** The rows of `count` to draw in the scrolling element `scroller`, following its scroll and size. */
export function useFixedRows(scroller: RefObject<HTMLElement | null>, count: number, rowHeight: number, overscan: number): RowWindow {
  const [view, setView] = useState({ scrollTop: 0, height: 0 });

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const read = () => setView((current) => (current.scrollTop === element.scrollTop && current.height === element.clientHeight ? current : { scrollTop: element.scrollTop, height: element.clientHeight }));
    read();
    element.addEventListener('scroll', read, { passive: true });
    const resize = new ResizeObserver(read);
    resize.observe(element);
    return () => {
      element.removeEventListener('scroll', read);
      resize.disconnect();
    };
  }, [scroller]);

  return rowWindow(count, rowHeight, view.scrollTop, view.height, overscan);
}
