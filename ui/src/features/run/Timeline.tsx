// The run as a Gantt chart: a bar per state visit on the run's time axis, coloured like the
// canvas legend, each Map iteration and Parallel branch under a heading row (with a bar spanning
// its states) right after the Map or Parallel that ran it. Headings fold their rows away; the
// rows are windowed, so a Map of 10,000 iterations stays usable. An instant run (the virtual
// clock spends no time outside Waits and retries) is drawn in event order instead of time.
import { useMemo, useState } from "react";
import { formatDuration } from "./duration";
import { STATUS_LABEL, visitDuration } from "./VisitsTable";
import type { RunVisits, Visit } from "./visits";
import { layoutRows, useViewport, visibleRows } from "./windowing";

type Props = {
  run: RunVisits;
  onSelectState?: (name: string) => void;
};

/** A row of the chart: a visit, or the heading of a Map iteration or Parallel branch. */
export type TimelineRow =
  | { kind: "visit"; visit: number; depth: number }
  | { kind: "scope"; scope: number; depth: number; startMs: number; endMs: number; start: number; end: number };

const ROW_HEIGHT = 20;
const INDENT = 12;

/**
 * The chart's rows: each scope's visits in the order they were entered, and after a Map or
 * Parallel visit the headings of its iterations or branches, each followed by its own rows
 * unless it is folded. Linear in visits and scopes.
 */
export function timelineRows(run: RunVisits, folded: ReadonlySet<number> = new Set()): TimelineRow[] {
  const visitsOf: number[][] = run.scopes.map(() => []);
  run.visits.forEach((v, i) => visitsOf[v.scope]?.push(i));
  const scopesOf = new Map<number, number[]>();
  run.scopes.forEach((s, i) => {
    if (s.owner === null) return;
    const list = scopesOf.get(s.owner);
    if (list) list.push(i);
    else scopesOf.set(s.owner, [i]);
  });
  // Each scope's span in time and in events, its descendants included (children come after parents).
  const span = run.scopes.map(() => ({ startMs: Infinity, endMs: -Infinity, start: Infinity, end: -Infinity }));
  run.visits.forEach((v) => {
    const s = span[v.scope];
    if (!s) return;
    s.startMs = Math.min(s.startMs, v.enteredMs);
    s.endMs = Math.max(s.endMs, v.endedMs ?? run.endMs);
    s.start = Math.min(s.start, v.enteredEventId);
    s.end = Math.max(s.end, v.endedEventId ?? run.endEventId);
  });
  for (let i = run.scopes.length - 1; i > 0; i--) {
    const own = span[i];
    const parent = span[run.scopes[i]?.parent ?? 0];
    if (!own || !parent) continue;
    parent.startMs = Math.min(parent.startMs, own.startMs);
    parent.endMs = Math.max(parent.endMs, own.endMs);
    parent.start = Math.min(parent.start, own.start);
    parent.end = Math.max(parent.end, own.end);
  }

  const rows: TimelineRow[] = [];
  const walk = (scope: number, depth: number) => {
    for (const visit of visitsOf[scope] ?? []) {
      rows.push({ kind: "visit", visit, depth });
      for (const child of scopesOf.get(visit) ?? []) {
        const s = span[child] as (typeof span)[number];
        rows.push({ kind: "scope", scope: child, depth: depth + 1, ...s });
        if (!folded.has(child)) walk(child, depth + 1);
      }
    }
  };
  walk(0, 0);
  return rows;
}

/** Ticks for an axis of `span` units: steps of 1, 2 or 5 times a power of ten, about `count` of them. */
export function ticks(span: number, count = 6): number[] {
  if (span <= 0) return [0];
  const rough = span / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? power * 10;
  const out: number[] = [];
  for (let k = 0; k * step <= span; k++) out.push(k * step);
  return out;
}

export function Timeline({ run, onSelectState }: Props) {
  const [folded, setFolded] = useState<ReadonlySet<number>>(new Set());
  const rows = useMemo(() => timelineRows(run, folded), [run, folded]);
  const { setElement, scrollTop, height, onScroll } = useViewport<HTMLDivElement>();
  const layout = useMemo(() => layoutRows(rows.length, ROW_HEIGHT), [rows.length]);
  const shown = visibleRows(layout, rows.length, scrollTop, height);

  // Time when the run took any; otherwise the order of events.
  const byTime = run.endMs > run.startMs;
  const origin = byTime ? run.startMs : 1;
  const span = Math.max(1, byTime ? run.endMs - run.startMs : run.endEventId - 1);
  const at = (x: number) => `${((x - origin) / span) * 100}%`;
  const width = (from: number, to: number) => `${((to - from) / span) * 100}%`;
  const axis = ticks(byTime ? span : run.endEventId - 1);
  const iterations = run.scopes.length - 1;

  const toggle = (scope: number) =>
    setFolded((current) => {
      const next = new Set(current);
      if (!next.delete(scope)) next.add(scope);
      return next;
    });
  const allFolded = folded.size >= iterations;
  const foldAll = () => setFolded(allFolded ? new Set() : new Set(run.scopes.map((_, i) => i).slice(1)));

  return (
    <div className="timeline">
      <div className="run-filters">
        <span className="run-count">
          {run.visits.length} visits
          {iterations > 0 ? ` in ${iterations} iterations and branches` : ""}
          {byTime ? "" : " · the run took no time on its clock: bars follow the order of events"}
        </span>
        {iterations > 0 && (
          <button type="button" onClick={foldAll}>
            {allFolded ? "Unfold all" : "Fold all"}
          </button>
        )}
      </div>
      <div className="timeline-axis" aria-hidden="true">
        <span className="timeline-label">{byTime ? "Time" : "Event"}</span>
        <div className="timeline-track">
          {axis.map((t) => (
            <span key={t} className="timeline-tick" style={{ left: at(origin + t) }}>
              {byTime ? formatDuration(t) : `#${t + 1}`}
            </span>
          ))}
        </div>
      </div>
      <div
        className="vscroll timeline-body"
        ref={setElement}
        onScroll={onScroll}
        role="list"
        aria-label="Timeline"
        data-testid="timeline-scroll"
      >
        <div className="vspace" style={{ height: layout.total }}>
          {shown.map((index) => {
            const row = rows[index] as TimelineRow;
            const style = { top: layout.offsetOf(index), height: ROW_HEIGHT };
            if (row.kind === "scope") {
              const scope = run.scopes[row.scope];
              const open = !folded.has(row.scope);
              const [from, to] = byTime ? [row.startMs, row.endMs] : [row.start, row.end];
              return (
                <div key={`s${row.scope}`} className="timeline-row timeline-scope" style={style} role="listitem">
                  <button
                    type="button"
                    className="timeline-label"
                    style={{ paddingLeft: row.depth * INDENT }}
                    aria-expanded={open}
                    onClick={() => toggle(row.scope)}
                  >
                    {open ? "▾" : "▸"} {scope?.label}
                  </button>
                  <div className="timeline-track">
                    {Number.isFinite(from) && (
                      <span
                        className="timeline-span"
                        style={{ left: at(from), width: width(from, to) }}
                        title={`${scope?.path} · ${formatDuration(row.endMs - row.startMs)}`}
                      />
                    )}
                  </div>
                </div>
              );
            }
            const visit = run.visits[row.visit] as Visit;
            const [from, to] = byTime
              ? [visit.enteredMs, visit.endedMs ?? run.endMs]
              : [visit.enteredEventId, visit.endedEventId ?? run.endEventId];
            const title = [
              `${visit.name} · ${STATUS_LABEL[visit.status]} · ${formatDuration(visitDuration(visit, run))}`,
              run.scopes[visit.scope]?.path ?? "",
              visit.retries.length > 0 ? `${visit.retries.length} retries` : "",
              visit.error === null ? "" : `${visit.error}${visit.cause ? `: ${visit.cause}` : ""}`,
            ]
              .filter((line) => line !== "")
              .join("\n");
            return (
              <div
                key={`v${row.visit}`}
                className="timeline-row"
                style={style}
                role="listitem"
                title={title}
                tabIndex={0}
                onClick={() => onSelectState?.(visit.name)}
                onKeyDown={(e) => {
                  if (e.key === "Enter") onSelectState?.(visit.name);
                }}
              >
                <span className="timeline-label" style={{ paddingLeft: row.depth * INDENT }}>
                  {visit.name}
                </span>
                <div className="timeline-track">
                  <span
                    className={`timeline-bar run-${visit.status}`}
                    style={{ left: at(from), width: width(from, to) }}
                    data-status={visit.status}
                  />
                  {byTime &&
                    visit.retries.map((retry, i) => (
                      <span key={i} className="timeline-retry" style={{ left: at(retry.atMs) }} />
                    ))}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
