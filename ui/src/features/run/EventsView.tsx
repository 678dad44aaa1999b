// The run's history event by event, as AWS's GetExecutionHistory gives it: id, type, the state
// it belongs to, the time since the execution started and the timestamp. A row opens to show
// its details as indented JSON (the input, output and parameters texts unfolded). Filters by
// type, by state and by text in the details; the list is windowed, so 100,000 events scroll.
import { useDeferredValue, useMemo, useState } from "react";
import type { RunVisits } from "./visits";
import { OpenedText, openedHeight, toggled, unfoldJson } from "./OpenedRow";
import { WindowedTable } from "./WindowedTable";
import { layoutRows } from "./windowing";

type Event = Record<string, unknown>;

type Props = {
  events: readonly Event[];
  run: RunVisits;
};

const ROW_HEIGHT = 22;

/** Details fields that hold JSON as text (AWS's shape), shown unfolded. */
const JSON_TEXT_FIELDS = new Set(["input", "output", "parameters"]);

/** The event's details objects, with their JSON texts parsed, as indented JSON. */
export function detailsText(event: Event): string {
  const details: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith("EventDetails") || typeof value !== "object" || value === null) continue;
    const unfolded: Record<string, unknown> = {};
    for (const [field, v] of Object.entries(value)) unfolded[field] = JSON_TEXT_FIELDS.has(field) ? unfoldJson(v) : v;
    details[key] = unfolded;
  }
  return Object.keys(details).length === 0 ? "No details." : JSON.stringify(details, null, 2);
}

/** What the text filter searches: the event's details, lower-cased. */
function searchText(event: Event): string {
  let text = "";
  for (const key in event) if (key.endsWith("EventDetails")) text += JSON.stringify(event[key]);
  return text.toLowerCase();
}

export function EventsView({ events, run }: Props) {
  const [type, setType] = useState("");
  const [state, setState] = useState("");
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const text = useDeferredValue(query.trim().toLowerCase());

  const types = useMemo(() => [...new Set(events.map((e) => String(e.type)))].sort(), [events]);
  const states = useMemo(() => [...new Set(run.stateOfEvent)].filter((s) => s !== "").sort(), [run]);
  const searching = text !== "";
  const haystacks = useMemo(() => (searching ? events.map(searchText) : null), [events, searching]);
  const shown = useMemo(() => {
    const out: number[] = [];
    for (let i = 0; i < events.length; i++) {
      if (type !== "" && events[i]?.type !== type) continue;
      if (state !== "" && run.stateOfEvent[i] !== state) continue;
      if (haystacks !== null && !haystacks[i]?.includes(text)) continue;
      out.push(i);
    }
    return out;
  }, [events, run, type, state, haystacks, text]);

  // Opened rows are kept by event id, so they stay open across filters.
  const texts = useMemo(() => {
    const out = new Map<number, string>();
    if (open.size === 0) return out;
    shown.forEach((index, row) => {
      const event = events[index] as Event;
      if (open.has(Number(event.id))) out.set(row, detailsText(event));
    });
    return out;
  }, [events, shown, open]);
  const layout = useMemo(() => {
    const extras = new Map<number, number>();
    for (const [row, details] of texts) extras.set(row, openedHeight(details));
    return layoutRows(shown.length, ROW_HEIGHT, extras);
  }, [shown, texts]);

  const toggle = (id: number) => setOpen((current) => toggled(current, id));

  return (
    <div className="events-view">
      <div className="run-filters">
        <select aria-label="Event type" value={type} onChange={(e) => setType(e.target.value)}>
          <option value="">All types</option>
          {types.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <select aria-label="Event state" value={state} onChange={(e) => setState(e.target.value)}>
          <option value="">All states</option>
          {states.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <input
          type="search"
          aria-label="Search event details"
          placeholder="Search details"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <span className="run-count">
          {shown.length === events.length ? `${events.length} events` : `${shown.length} of ${events.length} events`}
        </span>
      </div>
      <WindowedTable
        label="Events"
        className="events-table"
        columns={["Id", "Type", "State", "Elapsed", "Timestamp"]}
        count={shown.length}
        layout={layout}
        testId="events-scroll"
        renderRow={(row) => {
          const index = shown[row] as number;
          const event = events[index] as Event;
          const id = Number(event.id);
          const details = texts.get(row);
          const ms = run.timeOfEvent[index] as number;
          return (
            <div key={id} className="vitem" style={{ top: layout.offsetOf(row), height: layout.heightOf(row) }} role="rowgroup">
              <div
                className="vrow"
                role="row"
                aria-rowindex={row + 2}
                aria-expanded={details !== undefined}
                tabIndex={0}
                onClick={() => toggle(id)}
                onKeyDown={(e) => {
                  if (e.key === "Enter" || e.key === " ") {
                    e.preventDefault();
                    toggle(id);
                  }
                }}
              >
                <span role="cell">{id}</span>
                <span role="cell">{String(event.type)}</span>
                <span role="cell">{run.stateOfEvent[index]}</span>
                <span role="cell">{Math.round(ms - run.startMs)} ms</span>
                <span role="cell">{Number.isFinite(ms) ? new Date(ms).toISOString() : ""}</span>
              </div>
              {details !== undefined && <OpenedText text={details} />}
            </div>
          );
        }}
      />
    </div>
  );
}
