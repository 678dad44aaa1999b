// Turns the Rust side's laid-out graph into React Flow nodes and edges. Pure, so it is tested
// without a browser; the canvas only renders what this returns.
import { MarkerType, type Edge, type Node } from "@xyflow/react";
import type {
  DiagnosticView,
  EdgeView,
  GraphView,
  NodeView,
  StateRunStatus,
} from "../../ipc/rpc";
import { nodeHandles } from "./handles";

export type StateNodeData = {
  name: string;
  stateType: string;
  errors: number;
  warnings: number;
  /** How the state fared in the run shown, if any. */
  runStatus: StateRunStatus | "none" | null;
  /** The `${Name}` definition substitutions in its fields, filled in at deploy time. */
  placeholders: string[];
};
export type MarkerNodeData = { marker: "start" | "end" };

export type StateFlowNode = Node<StateNodeData, "state" | "container">;
export type MarkerFlowNode = Node<MarkerNodeData, "marker">;
export type FlowNode = StateFlowNode | MarkerFlowNode;

const CONTAINER_TYPES = new Set(["Parallel", "Map"]);

/** Diagnostics belong to the state whose JSON Pointer is the longest prefix of theirs. */
function countDiagnostics(nodes: NodeView[], diagnostics: DiagnosticView[]) {
  const counts = new Map<string, { errors: number; warnings: number }>();
  for (const diagnostic of diagnostics) {
    let owner: string | undefined;
    for (const node of nodes) {
      const inside = diagnostic.path === node.id || diagnostic.path.startsWith(`${node.id}/`);
      if (node.kind === "state" && inside && node.id.length > (owner?.length ?? -1)) {
        owner = node.id;
      }
    }
    if (owner === undefined) continue;
    const count = counts.get(owner) ?? { errors: 0, warnings: 0 };
    if (diagnostic.severity === "error") count.errors += 1;
    else count.warnings += 1;
    counts.set(owner, count);
  }
  return counts;
}

/** What a flow node was built from besides its NodeView. */
type NodeInputs = { errors: number; warnings: number; runStatus: StateNodeData["runStatus"]; selected: boolean };

/**
 * Flow nodes built before, by the NodeView they were built from. Snapshot updates keep the
 * objects of unchanged nodes (ui/src/ipc/snapshots.ts), so after an edit most nodes come back
 * as the same object, their fields identical to React Flow's copy: nothing to compare as JSON.
 */
const builtNodes = new WeakMap<NodeView, { inputs: NodeInputs; node: FlowNode }>();

/**
 * @param runStatus how each state (by name) fared in the run shown; `null` when no run is shown,
 *   so states are not marked "not run" outside a run.
 * @param selectedId the node shown selected.
 */
export function toFlowNodes(
  graph: GraphView,
  diagnostics: DiagnosticView[] = [],
  runStatus: Map<string, StateRunStatus> | null = null,
  selectedId: string | null = null,
): FlowNode[] {
  const counts = countDiagnostics(graph.nodes, diagnostics);
  return graph.nodes.map((node): FlowNode => {
    const count = counts.get(node.id) ?? { errors: 0, warnings: 0 };
    const inputs: NodeInputs = {
      ...count,
      runStatus: node.kind !== "state" || runStatus === null ? null : (runStatus.get(node.name) ?? "none"),
      selected: selectedId !== null && node.id === selectedId,
    };
    const before = builtNodes.get(node);
    if (
      before !== undefined &&
      (Object.keys(inputs) as Array<keyof NodeInputs>).every((key) => before.inputs[key] === inputs[key])
    ) {
      return before.node;
    }
    const built = flowNode(node, inputs);
    builtNodes.set(node, { inputs, node: built });
    return built;
  });
}

function flowNode(node: NodeView, inputs: NodeInputs): FlowNode {
  const common = {
    id: node.id,
    position: { x: node.x, y: node.y },
    width: node.width,
    height: node.height,
    handles: nodeHandles(node.kind, node.width, node.height),
    selected: inputs.selected,
    ...(node.parent !== null ? { parentId: node.parent, extent: "parent" as const } : {}),
  };
  if (node.kind !== "state") {
    return { ...common, type: "marker", data: { marker: node.kind }, selectable: false };
  }
  const stateType = node.stateType ?? "Pass";
  return {
    ...common,
    type: CONTAINER_TYPES.has(stateType) ? "container" : "state",
    data: {
      name: node.name,
      stateType,
      errors: inputs.errors,
      warnings: inputs.warnings,
      runStatus: inputs.runStatus,
      placeholders: node.placeholders,
    },
    style: { width: node.width, height: node.height },
  };
}

const EDGE_CLASS: Record<EdgeView["kind"], string> = {
  start: "edge-flow",
  next: "edge-flow",
  end: "edge-flow",
  choice: "edge-choice",
  default: "edge-default",
  catch: "edge-catch",
};

export type TransitionData = {
  kind: EdgeView["kind"];
  /** The rule's or catcher's index. */
  index: number | null;
  back: boolean;
  /** Offset, in label heights, of this label among the labels shown at the same spot. */
  stack: number;
};
export type TransitionFlowEdge = Edge<TransitionData, "transition">;

function edgeLabel(edge: EdgeView): string | null {
  if (edge.kind === "default") return "Default";
  if (edge.kind === "catch") return `Catch: ${edge.label ?? ""}`;
  return edge.label;
}

/** Where an edge's label sits: above its target, or on a loop's side path (see TransitionEdge). */
function labelSpot(edge: EdgeView): string {
  return edge.back ? `loop\u0000${edge.source}\u0000${edge.target}` : `into\u0000${edge.target}`;
}

/** How an edge's label is shown: not at all (`null`: none, or the same text shown by another), or at a stack offset. */
type Shown = { label: string | null; stack: number };

/** Flow edges built before, by the EdgeView they were built from and how its label is shown. */
const builtEdges = new WeakMap<EdgeView, { shown: Shown; edge: TransitionFlowEdge }>();

export function toFlowEdges(graph: GraphView): TransitionFlowEdge[] {
  // Every labelled transition into the same state puts its label at the same spot (a loop's, on
  // the same side path): the distinct texts stack there, and a text already shown there is not
  // drawn again (200 Catch transitions to one handler show one "Catch: States.ALL").
  const texts = new Map<string, string[]>();
  for (const edge of graph.edges) {
    const text = edgeLabel(edge);
    if (text === null) continue;
    const spot = labelSpot(edge);
    const here = texts.get(spot) ?? [];
    if (!here.includes(text)) here.push(text);
    texts.set(spot, here);
  }
  const drawn = new Set<string>();
  return graph.edges.map((edge) => {
    const text = edgeLabel(edge);
    const spot = labelSpot(edge);
    const here = texts.get(spot) ?? [];
    const first = text !== null && !drawn.has(`${spot}\u0000${text}`);
    if (first) drawn.add(`${spot}\u0000${text}`);
    // 0 for the last text, -1 above it, and so on: the stack grows up, away from the target.
    const shown: Shown = first ? { label: text, stack: here.indexOf(text) - (here.length - 1) } : { label: null, stack: 0 };
    const before = builtEdges.get(edge);
    if (before !== undefined && before.shown.label === shown.label && before.shown.stack === shown.stack) return before.edge;
    const built = flowEdge(edge, shown);
    builtEdges.set(edge, { shown, edge: built });
    return built;
  });
}

function flowEdge(edge: EdgeView, { label, stack }: Shown): TransitionFlowEdge {
  return {
    id: edge.id,
    type: "transition",
    source: edge.source,
    target: edge.target,
    ...(edge.back ? { sourceHandle: "loop-out", targetHandle: "loop-in" } : {}),
    className: EDGE_CLASS[edge.kind],
    markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
    ...(label ? { label } : {}),
    ...(edge.kind === "catch" ? { style: { strokeDasharray: "6 4" } } : {}),
    data: { kind: edge.kind, index: edge.index, back: edge.back, stack },
    zIndex: 1,
  };
}

/**
 * The next nodes (or edges) with every one that has not changed replaced by its previous object,
 * so React Flow re-renders only what an edit touched (a field edit in a 1,000-state machine
 * changes one node). An item is unchanged when each field the new one sets equals the old one's
 * (values compared as JSON); fields React Flow adds itself (its measurements) are kept. A changed
 * node of the same size keeps React Flow's measurement too: without it React Flow measures the
 * node again and reports its (same) size, which re-renders the whole canvas a second time.
 */
export function keepUnchanged<T extends { id: string }>(previous: readonly T[], next: T[]): T[] {
  if (previous.length === 0) return next;
  const before = new Map(previous.map((item) => [item.id, item]));
  let reused = 0;
  const out = next.map((item) => {
    const old = before.get(item.id);
    if (old === undefined) return item;
    if (item === old || keptFor.get(old) === item) {
      reused += 1;
      return old;
    }
    if (sameFields(item, old)) {
      keptFor.set(old, item);
      reused += 1;
      return old;
    }
    return sameBox(item, old) ? { ...item, measured: old.measured } : item;
  });
  // Nothing changed at all: the same array, so nothing re-renders.
  return reused === previous.length && out.length === previous.length ? (previous as T[]) : out;
}

/**
 * The item each kept object was found equal to. toFlow returns the same item for an unchanged
 * view, so the next edit finds it here instead of comparing fields again; React Flow replaces
 * an object it changes (a measurement, a selection), which is then compared once more.
 */
const keptFor = new WeakMap<object, object>();

/** Whether each field `item` sets equals `old`'s. */
function sameFields<T extends object>(item: T, old: T): boolean {
  for (const key of Object.keys(item) as Array<keyof T>) {
    const a = item[key];
    const b = old[key];
    if (a === b) continue;
    if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return false;
    if (JSON.stringify(a) !== JSON.stringify(b)) return false;
  }
  return true;
}

type Boxed = { width?: unknown; height?: unknown; measured?: unknown };

/** Whether a node React Flow has measured keeps its size (so its measurement still holds). */
function sameBox<T extends object>(item: T, old: T): old is T & { measured: unknown } {
  const [a, b] = [item as Boxed, old as Boxed];
  const sized = typeof a.width === "number" && typeof a.height === "number";
  return sized && b.measured !== undefined && a.measured === undefined && a.width === b.width && a.height === b.height;
}
