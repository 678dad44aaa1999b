// Presentation of the three node kinds. They draw what the Rust side computed; they hold no
// ASL knowledge beyond a glyph per state type.
import { memo, useContext, useState } from "react";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { EditContext } from "./editContext";
import type { EditRequest } from "../../ipc/rpc";
import { StateIcon } from "./icons";
import { LOOP_IN, LOOP_OUT } from "./handles";
import type { MarkerFlowNode, StateFlowNode } from "./toFlow";
import { toggleBreakpoint, useBreakpoints, usePausedAt } from "../run/debugStore";
import { setDrill, useDrill, useDrillTarget } from "../run/drill";
import { useMapProgress } from "../run/mapProgress";

/** Entry and exit points: top and bottom for the flow, the right side for loops. */
function Handles() {
  return (
    <>
      <Handle type="target" position={Position.Top} />
      <Handle type="source" position={Position.Bottom} />
      <Handle type="source" position={Position.Right} id="loop-out" style={{ top: `${LOOP_OUT * 100}%` }} />
      <Handle type="target" position={Position.Right} id="loop-in" style={{ top: `${LOOP_IN * 100}%` }} />
    </>
  );
}


/**
 * A state's name; double-click to rename it in place. Enter asks Rust to rename the state and
 * every reference to it; Escape or leaving the field cancels.
 */
function StateName({ id, name }: { id: string; name: string }) {
  const { edit, renaming, setRenaming } = useContext(EditContext);
  if (renaming !== id) {
    return (
      <span className="state-name" onDoubleClick={() => setRenaming(id)} title="Double-click or F2 to rename">
        {name}
      </span>
    );
  }
  return <RenameField id={id} name={name} edit={edit} done={() => setRenaming(null)} />;
}

function RenameField(props: { id: string; name: string; edit: (e: EditRequest) => void; done: () => void }) {
  const { id, name, edit, done } = props;
  const [draft, setDraft] = useState(name);
  const commit = () => {
    const to = draft.trim();
    done();
    if (to !== "" && to !== name) edit({ kind: "renameState", state: id, to });
  };
  return (
    <input
      className="state-name-input nodrag"
      aria-label={`Rename ${name}`}
      autoFocus
      onFocus={(event) => event.target.select()}
      value={draft}
      maxLength={80}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={done}
      onKeyDown={(event) => {
        event.stopPropagation();
        if (event.key === "Enter") commit();
        if (event.key === "Escape") done();
      }}
    />
  );
}

function Badges({ errors, warnings }: { errors: number; warnings: number }) {
  return (
    <span className="state-badges">
      {errors > 0 && <span className="badge badge-error" title={`${errors} error(s)`}>{errors}</span>}
      {warnings > 0 && (
        <span className="badge badge-warning" title={`${warnings} warning(s)`}>{warnings}</span>
      )}
    </span>
  );
}

/**
 * The breakpoint gutter of a state: a dot, filled when the debugger pauses before the state.
 * Hidden until hovered unless set.
 */
function Breakpoint({ name }: { name: string }) {
  const on = useBreakpoints().has(name);
  return (
    <button
      type="button"
      className={`breakpoint nodrag${on ? " breakpoint-on" : ""}`}
      aria-label={`Breakpoint on ${name}`}
      aria-pressed={on}
      title={on ? "Remove the breakpoint" : "Pause before this state (breakpoint)"}
      onClick={(event) => {
        event.stopPropagation();
        toggleBreakpoint(name);
      }}
      onDoubleClick={(event) => event.stopPropagation()}
    />
  );
}

/** Debugger marks of a state: its breakpoint and whether a run is paused before it. */
function useDebugMarks(name: string) {
  const paused = usePausedAt() === name;
  return { "data-paused": paused ? "true" : undefined, pausedClass: paused ? " paused-here" : "" };
}

/**
 * The `${Name}` placeholders SAM or CloudFormation fill in at deploy time, as a chip: the first,
 * and how many more (all of them in the tooltip).
 */
export function PlaceholderChip({ names }: { names: string[] }) {
  if (names.length === 0) return null;
  const all = names.map((name) => `\${${name}}`);
  return (
    <span
      className="placeholder-chip"
      title={`Filled in at deploy time (DefinitionSubstitutions): ${all.join(", ")}`}
    >
      {all[0]}
      {names.length > 1 && ` +${names.length - 1}`}
    </span>
  );
}

export const StateNode = memo(function StateNode({ id, data }: NodeProps<StateFlowNode>) {
  const { pausedClass, ...marks } = useDebugMarks(data.name);
  return (
    <div
      className={`state state-${data.stateType.toLowerCase()}${data.runStatus ? ` run-${data.runStatus}` : ""}${pausedClass}`}
      data-run-status={data.runStatus ?? undefined}
      data-state-name={data.name}
      title={`${data.name} (${data.stateType})`}
      {...marks}
    >
      <Handles />
      <Breakpoint name={data.name} />
      <StateIcon type={data.stateType} />
      <span className="state-text">
        <StateName id={id} name={data.name} />
        <span className="state-type">
          {data.stateType}
          <PlaceholderChip names={data.placeholders} />
        </span>
      </span>
      <Badges errors={data.errors} warnings={data.warnings} />
    </div>
  );
});

export const ContainerNode = memo(function ContainerNode({ id, data }: NodeProps<StateFlowNode>) {
  const { pausedClass, ...marks } = useDebugMarks(data.name);
  return (
    <div
      className={`container container-${data.stateType.toLowerCase()}${data.runStatus ? ` run-${data.runStatus}` : ""}${pausedClass}`}
      data-state-name={data.name}
      data-run-status={data.runStatus ?? undefined}
      {...marks}
    >
      <Handles />
      <div className="container-title">
        <Breakpoint name={data.name} />
        <StateIcon type={data.stateType} />
        <StateName id={id} name={data.name} />
        <span className="state-type">{data.stateType}</span>
        <PlaceholderChip names={data.placeholders} />
        <Badges errors={data.errors} warnings={data.warnings} />
      </div>
      {data.stateType === "Map" && <MapProgressBar name={data.name} />}
      <DrillControl name={data.name} />
    </div>
  );
});

/**
 * Drill into one iteration of a Map or one branch of a Parallel of the run shown: its states are
 * then coloured by that iteration or branch alone.
 */
function DrillControl({ name }: { name: string }) {
  const target = useDrillTarget(name);
  const chosen = useDrill(name);
  if (target === null) return null;
  const part = target.kind === "Map" ? "Iteration" : "Branch";
  const go = (index: number | null) => setDrill(name, index);
  const stop = (event: { stopPropagation: () => void }) => event.stopPropagation();
  const status = chosen === null ? null : (target.statuses[chosen] ?? null);
  return (
    <div className="drill nodrag nopan" data-testid="drill" onClick={stop} onDoubleClick={stop} onPointerDown={stop}>
      {target.kind === "Map" ? (
        <>
          <button
            type="button"
            aria-label={`Previous iteration of ${name}`}
            disabled={chosen === 0}
            onClick={() => go(chosen === null ? 0 : Math.max(0, chosen - 1))}
          >
            ◀
          </button>
          <label>
            <input
              type="number"
              min={0}
              max={target.count - 1}
              aria-label={`${part} of ${name}`}
              value={chosen ?? ""}
              placeholder="all"
              onChange={(e) => {
                const value = Number(e.target.value);
                go(e.target.value === "" || !Number.isInteger(value) ? null : Math.min(Math.max(value, 0), target.count - 1));
              }}
            />
          </label>
          <button
            type="button"
            aria-label={`Next iteration of ${name}`}
            disabled={chosen === target.count - 1}
            onClick={() => go(chosen === null ? 0 : Math.min(target.count - 1, chosen + 1))}
          >
            ▶
          </button>
          <span className="drill-of">/ {target.count}</span>
        </>
      ) : (
        <span role="group" aria-label={`Branches of ${name}`}>
          {Array.from({ length: target.count }, (_, index) => (
            <button
              key={index}
              type="button"
              aria-pressed={chosen === index}
              className={`drill-branch run-${target.statuses[index] ?? "none"}`}
              onClick={() => go(chosen === index ? null : index)}
            >
              {index + 1}
            </button>
          ))}
        </span>
      )}
      {chosen !== null && (
        <>
          <span className={`drill-status run-${status ?? "none"}`}>{status ?? "did not run"}</span>
          <button type="button" aria-label={`All ${target.kind === "Map" ? "iterations" : "branches"} of ${name}`} onClick={() => go(null)}>
            All
          </button>
        </>
      )}
    </div>
  );
}

/** A Map's iterations in the run shown: a bar of finished items and the counts. */
function MapProgressBar({ name }: { name: string }) {
  const p = useMapProgress(name);
  if (p === null || p.total === 0) return null;
  const done = p.succeeded + p.failed;
  const percent = Math.min(100, Math.round((done * 100) / p.total));
  return (
    <div
      className="map-progress"
      data-testid="map-progress"
      title={`${p.succeeded} succeeded, ${p.failed} failed, ${p.running} running of ${p.total} items`}
    >
      <div className="map-progress-bar">
        <div className="map-progress-done" style={{ width: `${percent}%` }} />
      </div>
      <span className="map-progress-text">
        {done}/{p.total}
        {p.failed > 0 && ` · ${p.failed} failed`}
        {p.running > 0 && ` · ${p.running} running`}
      </span>
    </div>
  );
}

export const MarkerNode = memo(function MarkerNode({ data }: NodeProps<MarkerFlowNode>) {
  return (
    <div className={`marker marker-${data.marker}`} title={data.marker === "start" ? "Start" : "End"}>
      {data.marker === "start" ? (
        <Handle type="source" position={Position.Bottom} />
      ) : (
        <Handle type="target" position={Position.Top} />
      )}
    </div>
  );
});

export const nodeTypes = { state: StateNode, container: ContainerNode, marker: MarkerNode };
