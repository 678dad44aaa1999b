// Every state visit of the run as a table row: the state, where it ran (Map iteration, Parallel
// branch), how it ended in the canvas legend's colours, when it was entered, how long it took
// and its retries. A row selects its state on the canvas; its ▸ opens the visit's input, output,
// error and retries below it. Windowed like the Events view.
import { useMemo, useState } from "react";
import { formatDuration } from "./duration";
import type { Attempt, RunVisits, Visit } from "./visits";
import { OpenedText, openedHeight, toggled, unfoldJson } from "./OpenedRow";
import { WindowedTable } from "./WindowedTable";
import { layoutRows } from "./windowing";

type Props = {
  run: RunVisits;
  selectedState: string | null;
  onSelectState?: (name: string) => void;
};

const ROW_HEIGHT = 22;

export const STATUS_LABEL: Record<Visit["status"], string> = {
  succeeded: "Succeeded",
  failed: "Failed",
  caught: "Caught error",
  running: "In progress",
  cancelled: "Cancelled",
};

/** How long a visit took, or has taken so far. */
export function visitDuration(visit: Visit, run: RunVisits): number {
  return visit.durationMs ?? run.endMs - visit.enteredMs;
}

/** The retries of a visit, one line per failed attempt, for a tooltip. */
function retriesTitle(visit: Visit): string {
  // A Map or Parallel fails without details; its error is then not in the history.
  const error = (r: Attempt) => (r.error === "" ? "error not in the history" : r.error);
  return visit.retries.map((r, i) => `Attempt ${i + 1}: ${error(r)}${r.cause ? `: ${r.cause}` : ""}`).join("\n");
}

/** A visit's data as indented JSON: input, output, and its error and retries when it has them. */
export function visitText(visit: Visit, run: RunVisits): string {
  const data: Record<string, unknown> = { input: unfoldJson(visit.input), output: unfoldJson(visit.output) };
  if (visit.error !== null) Object.assign(data, { error: visit.error, cause: visit.cause });
  if (visit.retries.length > 0)
    data.retries = visit.retries.map((r) => ({ error: r.error, cause: r.cause, at: `+${formatDuration(r.atMs - run.startMs)}` }));
  return JSON.stringify(data, null, 2);
}

export function VisitsTable({ run, selectedState, onSelectState }: Props) {
  // Opened rows by visit index (a live run only adds visits, so indices stay).
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const count = run.visits.length;
  const texts = useMemo(() => {
    const out = new Map<number, string>();
    for (const row of open) if (row < count) out.set(row, visitText(run.visits[row] as Visit, run));
    return out;
  }, [run, count, open]);
  const layout = useMemo(
    () => layoutRows(count, ROW_HEIGHT, new Map([...texts].map(([row, text]) => [row, openedHeight(text)]))),
    [count, texts],
  );
  const toggle = (row: number) => setOpen((current) => toggled(current, row));
  return (
    <WindowedTable
      label="State visits"
      className="visits-table"
      columns={["State", "Scope", "Status", "Entered", "Duration", "Retries"]}
      count={count}
      layout={layout}
      testId="visits-scroll"
      renderRow={(row) => {
        const visit = run.visits[row] as Visit;
        const error = visit.error === null ? "" : `${visit.error}${visit.cause ? `: ${visit.cause}` : ""}`;
        const text = texts.get(row);
        return (
          <div
            key={row}
            className="vitem"
            style={{ top: layout.offsetOf(row), height: layout.heightOf(row) }}
            role="rowgroup"
          >
            <div
              className={`vrow${visit.name === selectedState ? " current" : ""}`}
              role="row"
              aria-rowindex={row + 2}
              aria-expanded={text !== undefined}
              tabIndex={0}
              onClick={() => onSelectState?.(visit.name)}
              onKeyDown={(e) => {
                if (e.key === "Enter") onSelectState?.(visit.name);
              }}
            >
              <span role="cell" title={visit.stateType}>
                <button
                  type="button"
                  className="row-toggle"
                  aria-label={`Data of ${visit.name}`}
                  aria-expanded={text !== undefined}
                  onClick={(e) => {
                    e.stopPropagation();
                    toggle(row);
                  }}
                />
                {visit.name}
              </span>
              <span role="cell">{run.scopes[visit.scope]?.path}</span>
              <span role="cell" className={`visit-status run-${visit.status}`} title={error}>
                {STATUS_LABEL[visit.status]}
                {error && ` · ${visit.error}`}
              </span>
              <span role="cell" title={new Date(visit.enteredMs).toISOString()}>
                +{formatDuration(visit.enteredMs - run.startMs)}
              </span>
              <span role="cell">
                {formatDuration(visitDuration(visit, run))}
                {visit.endedMs === null ? " …" : ""}
              </span>
              <span role="cell" title={retriesTitle(visit)}>
                {visit.retries.length === 0 ? "" : visit.retries.length}
              </span>
            </div>
            {text !== undefined && <OpenedText text={text} />}
          </div>
        );
      }}
    />
  );
}
