/**
 * A virtualised list of fixed-height rows that stays smooth at tens of millions of rows.
 *
 * Only the rows in the viewport (plus one) are in the DOM. Browsers cap an element's
 * height (a few million pixels in practice), so the scrollable spacer is at most
 * MAX_SCROLL_PX tall; when the rows need more, the scrollbar maps linearly onto the
 * rows (dragging the thumb to the middle shows the middle row) and the wheel and the
 * keys move by rows, not by scaled pixels, so a wheel notch still moves three rows.
 * The rows are drawn in a sticky layer at the top of the viewport, offset by the
 * fractional part of the first visible row.
 *
 * The parent learns the visible range (`onRange`, to fetch those rows) and whether the
 * person scrolled away from the end (`onUserScroll`, live tail pauses then); it can ask
 * for a row to be shown (`scrollTo`, a request with a sequence number).
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

const MAX_SCROLL_PX = 4_000_000;

export interface ScrollTarget {
  row: number;
  align: 'start' | 'end';
  seq: number;
}

export interface VirtualRowsProps {
  rowCount: number;
  rowHeight: number;
  renderRow: (index: number) => ReactNode;
  onRange: (first: number, last: number) => void;
  scrollTo: ScrollTarget | null;
  onUserScroll?: (info: { atEnd: boolean; up: boolean }) => void;
  onKeyDown?: (e: KeyboardEvent<HTMLDivElement>) => void;
  testId?: string;
  ariaLabel: string;
}

export function VirtualRows({ rowCount, rowHeight, renderRow, onRange, scrollTo, onUserScroll, onKeyDown, testId, ariaLabel }: VirtualRowsProps) {
  const viewport = useRef<HTMLDivElement | null>(null);
  const [height, setHeight] = useState(400);
  const [top, setTop] = useState(0);
  const topRef = useRef(0);
  /** scrollTop values we set ourselves: their scroll events are not the person scrolling. */
  const ownScrollTop = useRef<number | null>(null);

  const rowsInView = height / rowHeight;
  const maxTop = Math.max(0, rowCount - rowsInView);
  const contentPx = rowCount * rowHeight;
  const scaled = contentPx > MAX_SCROLL_PX;
  const spacerPx = Math.max(height, scaled ? MAX_SCROLL_PX : contentPx);
  const maxScrollPx = Math.max(0, spacerPx - height);

  const topToScroll = useCallback((t: number) => (scaled ? (maxTop > 0 ? (t / maxTop) * maxScrollPx : 0) : t * rowHeight), [scaled, maxTop, maxScrollPx, rowHeight]);
  const scrollToTop = useCallback((s: number) => (scaled ? (maxScrollPx > 0 ? (s / maxScrollPx) * maxTop : 0) : s / rowHeight), [scaled, maxTop, maxScrollPx, rowHeight]);

  /** Moves to first visible row `t` (clamped), updating the scrollbar to match. */
  const moveTo = useCallback(
    (t: number) => {
      const clamped = Math.min(maxTop, Math.max(0, t));
      topRef.current = clamped;
      setTop(clamped);
      const el = viewport.current;
      if (el) {
        const s = Math.round(topToScroll(clamped));
        if (Math.abs(el.scrollTop - s) >= 1) {
          ownScrollTop.current = s;
          el.scrollTop = s;
        }
      }
    },
    [maxTop, topToScroll],
  );

  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight || 400));
    ro.observe(el);
    setHeight(el.clientHeight || 400);
    return () => ro.disconnect();
  }, []);

  // Keep the first visible row within range when the row count or the size changes.
  useLayoutEffect(() => {
    if (topRef.current > maxTop) moveTo(maxTop);
  }, [maxTop, moveTo]);

  // Requests from the parent: show a row at the top, or at the bottom (live tail, latest).
  const lastSeq = useRef(-1);
  useLayoutEffect(() => {
    if (!scrollTo || scrollTo.seq === lastSeq.current) return;
    lastSeq.current = scrollTo.seq;
    moveTo(scrollTo.align === 'start' ? scrollTo.row : scrollTo.row + 1 - rowsInView);
  }, [scrollTo, moveTo, rowsInView]);

  const first = Math.floor(top);
  const last = Math.min(rowCount - 1, Math.floor(top + rowsInView));
  useEffect(() => {
    onRange(first, Math.max(first, last));
  }, [first, last, onRange]);

  const report = (previous: number, next: number) => onUserScroll?.({ atEnd: next >= maxTop - 0.5, up: next < previous });

  const onScroll = () => {
    const el = viewport.current;
    if (!el) return;
    if (ownScrollTop.current !== null && Math.abs(el.scrollTop - ownScrollTop.current) < 2) {
      ownScrollTop.current = null;
      return;
    }
    ownScrollTop.current = null;
    const previous = topRef.current;
    const next = Math.min(maxTop, Math.max(0, scrollToTop(el.scrollTop)));
    topRef.current = next;
    setTop(next);
    report(previous, next);
  };

  // In scaled mode the wheel moves by rows (a pixel of scrollbar is many rows there).
  useEffect(() => {
    const el = viewport.current;
    if (!el || !scaled) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const px = e.deltaMode === 1 ? e.deltaY * rowHeight : e.deltaMode === 2 ? e.deltaY * el.clientHeight : e.deltaY;
      const previous = topRef.current;
      moveTo(previous + px / rowHeight);
      report(previous, topRef.current);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  });

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    onKeyDown?.(e);
    if (e.defaultPrevented) return;
    const page = Math.max(1, Math.floor(rowsInView) - 1);
    const moves: Record<string, number> = { PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    const by = moves[e.key];
    if (by === undefined) return;
    e.preventDefault();
    const previous = topRef.current;
    moveTo(by === Infinity ? maxTop : by === -Infinity ? 0 : previous + by);
    report(previous, topRef.current);
  };

  const offsetPx = -(top - first) * rowHeight;
  const rows: ReactNode[] = [];
  for (let i = first; i <= last && i < rowCount; i++) {
    rows.push(
      <div key={i} className="vr-row" style={{ transform: `translateY(${offsetPx + (i - first) * rowHeight}px)`, height: rowHeight }}>
        {renderRow(i)}
      </div>,
    );
  }

  return (
    <div className="vr-viewport" ref={viewport} onScroll={onScroll} onKeyDown={onKey} tabIndex={0} data-testid={testId} aria-label={ariaLabel} role="grid" aria-rowcount={rowCount}>
      <div className="vr-spacer" style={{ height: spacerPx }}>
        <div className="vr-window" style={{ height }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
