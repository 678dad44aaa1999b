// A table whose body renders only the rows in view (see windowing.ts): the header stays put,
// the body scrolls over a spacer as tall as every row together.
import type { ReactNode } from "react";
import { useViewport, visibleRows, type RowLayout } from "./windowing";

type Props = {
  label: string;
  className: string;
  columns: string[];
  count: number;
  layout: RowLayout;
  testId: string;
  /** Renders row `index`, absolutely placed at `layout.offsetOf(index)`. */
  renderRow: (index: number) => ReactNode;
};

export function WindowedTable({ label, className, columns, count, layout, testId, renderRow }: Props) {
  const { setElement, scrollTop, height, onScroll } = useViewport<HTMLDivElement>();
  const rows = visibleRows(layout, count, scrollTop, height);
  return (
    <div className={`vtable ${className}`} role="table" aria-label={label} aria-rowcount={count + 1}>
      <div className="vrow vhead" role="row">
        {columns.map((column) => (
          <span key={column} role="columnheader">
            {column}
          </span>
        ))}
      </div>
      <div className="vscroll" ref={setElement} onScroll={onScroll} data-testid={testId}>
        <div className="vspace" style={{ height: layout.total }}>
          {rows.map(renderRow)}
        </div>
      </div>
    </div>
  );
}
