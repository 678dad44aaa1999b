// Presentation of the three node kinds. They draw what the Rust side computed; they hold no
// ASL knowledge beyond a glyph per state type.
import { memo } from "react";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import type { MarkerFlowNode, StateFlowNode } from "./toFlow";

const GLYPHS: Record<string, string> = {
  Pass: "→",
  Task: "⚙",
  Choice: "◇",
  Wait: "⏱",
  Succeed: "✓",
  Fail: "✕",
  Parallel: "⫴",
  Map: "⟳",
};

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

export const StateNode = memo(function StateNode({ data }: NodeProps<StateFlowNode>) {
  return (
    <div className={`state state-${data.stateType.toLowerCase()}`} data-state-name={data.name}>
      <Handle type="target" position={Position.Top} />
      <span className="state-glyph" aria-hidden>{GLYPHS[data.stateType] ?? "•"}</span>
      <span className="state-text">
        <span className="state-name">{data.name}</span>
        <span className="state-type">{data.stateType}</span>
      </span>
      <Badges errors={data.errors} warnings={data.warnings} />
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
});

export const ContainerNode = memo(function ContainerNode({ data }: NodeProps<StateFlowNode>) {
  return (
    <div className={`container container-${data.stateType.toLowerCase()}`} data-state-name={data.name}>
      <Handle type="target" position={Position.Top} />
      <div className="container-title">
        <span className="state-glyph" aria-hidden>{GLYPHS[data.stateType]}</span>
        <span className="state-name">{data.name}</span>
        <span className="state-type">{data.stateType}</span>
        <Badges errors={data.errors} warnings={data.warnings} />
      </div>
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
});

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
