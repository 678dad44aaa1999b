// Every state visit of the run as a table row: the state, where it ran (Map iteration, Parallel
// branch), how it ended in the canvas legend's colours, when it was entered, how long it took
// and its retries. A row selects its state on the canvas. Windowed like the Events view.
import { useMemo } from "react";
import { formatDuration } from "./duration";
import type { Attempt, RunVisits, Visit } from "./visits";
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

export function VisitsTable({ run, selectedState, onSelectState }: Props) {
  const count = run.visits.length;
  const layout = useMemo(() => layoutRows(count, ROW_HEIGHT), [count]);
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
        return (
          <div
            key={row}
            className={`vrow vitem${visit.name === selectedState ? " current" : ""}`}
            style={{ top: layout.offsetOf(row), height: ROW_HEIGHT }}
            role="row"
            aria-rowindex={row + 2}
            tabIndex={0}
            onClick={() => onSelectState?.(visit.name)}
            onKeyDown={(e) => {
              if (e.key === "Enter") onSelectState?.(visit.name);
            }}
          >
            <span role="cell" title={visit.stateType}>
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
        );
      }}
    />
  );
}
