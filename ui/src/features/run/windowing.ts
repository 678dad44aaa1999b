// Windowed lists for the run panel's long views (100,000 events, a Map's 10,000 iterations):
// only the rows in view, plus a few either side, are rendered. Rows have a fixed height and an
// expanded row adds a known extra height below it, so positions are computed, never measured:
// nothing waits for layout, and jsdom renders the same window as a browser would.
// (@tanstack/react-virtual measures expanded rows from the DOM instead; computed heights made it
// unnecessary here.)
import { useCallback, useLayoutEffect, useState, type UIEvent } from "react";

/** Rows of `rowHeight` pixels; `extras` gives the added height of expanded rows by index. */
export type RowLayout = {
  total: number;
  offsetOf: (index: number) => number;
  heightOf: (index: number) => number;
  /** The row at `y` pixels from the top (clamped to the rows). */
  indexAt: (y: number) => number;
};

export function layoutRows(count: number, rowHeight: number, extras: ReadonlyMap<number, number> = new Map()): RowLayout {
  const expanded = [...extras.keys()].filter((i) => i >= 0 && i < count).sort((a, b) => a - b);
  // before[k]: the extra height of the first k expanded rows.
  const before = [0];
  for (const index of expanded) before.push((before.at(-1) as number) + (extras.get(index) ?? 0));
  const expandedBefore = (index: number) => {
    let lo = 0;
    let hi = expanded.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((expanded[mid] as number) < index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const offsetOf = (index: number) => index * rowHeight + (before[expandedBefore(index)] as number);
  const heightOf = (index: number) => rowHeight + (extras.get(index) ?? 0);
  const indexAt = (y: number) => {
    let lo = 0;
    let hi = Math.max(0, count - 1);
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (offsetOf(mid) <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return { total: count === 0 ? 0 : offsetOf(count - 1) + heightOf(count - 1), offsetOf, heightOf, indexAt };
}

/** The indices of the rows to render for a viewport at `scrollTop` of `height` pixels. */
export function visibleRows(layout: RowLayout, count: number, scrollTop: number, height: number, overscan = 8): number[] {
  if (count === 0) return [];
  const first = Math.max(0, layout.indexAt(scrollTop) - overscan);
  const rows: number[] = [];
  let after = 0;
  for (let i = first; i < count && after <= overscan; i++) {
    rows.push(i);
    if (layout.offsetOf(i) >= scrollTop + height) after += 1;
  }
  return rows;
}

/** A viewport's height when the DOM cannot tell (jsdom, or before the first layout). */
const FALLBACK_HEIGHT = 400;

/** The scroll position and height of a scrolling element, for {@link visibleRows}. */
export function useViewport<T extends HTMLElement>() {
  const [element, setElement] = useState<T | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(FALLBACK_HEIGHT);
  useLayoutEffect(() => {
    if (element === null) return;
    const measure = () => setHeight(element.clientHeight || FALLBACK_HEIGHT);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  const onScroll = useCallback((event: UIEvent<T>) => setScrollTop(event.currentTarget.scrollTop), []);
  return { setElement, scrollTop, height, onScroll };
}
