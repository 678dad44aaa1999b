import { useCallback, useLayoutEffect, useMemo, useRef, useState } from "react";
import {
  Controls,
  ReactFlow,
  useEdgesState,
  useNodesState,
  type ColorMode,
  type Connection,
  type FitViewOptions,
  type ProOptions,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import type {
  DiagnosticView,
  EditRequest,
  GraphView,
  StateRunStatus,
  TransitionRef,
} from "../../ipc/rpc";
import { rpc } from "../../ipc/rpc";
import { byMachine, nameOf, pasteEdit, readCopy, writeCopy, type CopiedStates } from "./clipboard";
import { EditContext } from "./editContext";
import { ViewWindow, useViewWindowKey } from "./dashedClip";
import { DotGrid } from "./DotGrid";
import { useEdgesNear } from "./edgeCulling";
import { Minimap } from "./Minimap";
import { nodeTypes } from "./nodes";
import { OpeningView } from "./openingView";
import { edgeTypes } from "./TransitionEdge";
import { keepUnchanged, toFlowEdges, toFlowNodes, type FlowNode, type TransitionFlowEdge } from "./toFlow";


type Props = {
  /** The document shown, for reading the states a copy takes. */
  documentId: number;
  graph: GraphView;
  diagnostics: DiagnosticView[];
  colorMode: ColorMode;
  /** The node to show selected (picked in the code view, or the one an edit touched). */
  selectedId: string | null;
  onEdit: (edit: EditRequest) => void;
  /** A node was dropped somewhere: Rust pins it there (kept in the layout sidecar). */
  onMove: (nodeId: string, x: number, y: number) => void;
  /** How each state fared in the run shown, by name; null when no run is shown. */
  runStatus: Map<string, StateRunStatus> | null;
  /** The user selected a node on the canvas (or cleared the selection). */
  onSelect: (id: string | null) => void;
};

/**
 * Machines up to this many nodes keep every node in the page (cheap at this size, and every
 * state stays findable by assistive tools and page search); larger ones render only what is in
 * view (decision 0012).
 */
const RENDER_ALL_UP_TO = 300;

/**
 * React Flow's props never change identity between renders: it copies each changed one into its
 * store, and every copy runs every store subscriber (a few ms with 1,000 nodes, per field, per
 * edit) and re-renders the nodes in view.
 */
const FIT_VIEW_OPTIONS: FitViewOptions = { padding: 0.15, maxZoom: 1 };
const PRO_OPTIONS: ProOptions = { hideAttribution: true };

/** What the canvas's nodes and edges are derived from. */
type Sources = Pick<Props, "graph" | "diagnostics" | "selectedId" | "runStatus">;
const SOURCE_KEYS = ["graph", "diagnostics", "selectedId", "runStatus"] as const;

/** Which transition a new connection from `source` sets: a Choice's Default first, then rules. */
export function transitionFor(source: string, graph: GraphView): TransitionRef | null {
  const node = graph.nodes.find((n) => n.id === source);
  if (!node || node.kind !== "state") return null;
  if (node.stateType !== "Choice") return { kind: "next" };
  const out = graph.edges.filter((e) => e.source === source);
  if (!out.some((e) => e.kind === "default")) return { kind: "default" };
  return { kind: "choice", index: out.filter((e) => e.kind === "choice").length };
}

/** The transition an edge stands for, for Disconnect. */
function edgeTransition(edge: TransitionFlowEdge): TransitionRef | null {
  switch (edge.data?.kind) {
    case "next":
      return { kind: "next" };
    case "default":
      return { kind: "default" };
    case "choice":
      return { kind: "choice", index: edge.data.index ?? 0 };
    case "catch":
      return { kind: "catch", index: edge.data.index ?? 0 };
    default:
      return null;
  }
}

/**
 * The state machine at the positions Rust chose: its layout, or where the user pinned a node by
 * dragging it. Every change, the machine's or a position, is sent to Rust. It needs a
 * `ReactFlowProvider` above it (App.tsx), whose store it fills during its commit.
 */
export function Canvas(props: Props) {
  const { documentId, graph, diagnostics, colorMode, selectedId, onEdit, onMove, runStatus, onSelect } =
    props;
  // Filled during render (below), keeping the nodes and edges an update did not change.
  const [nodes, setNodes, onNodesChange] = useNodesState<FlowNode>([]);
  const [edges, setEdges, onEdgesChange] = useEdgesState<TransitionFlowEdge>([]);
  const [renaming, setRenaming] = useState<string | null>(null);
  const actions = useMemo(() => ({ edit: onEdit, renaming, setRenaming }), [onEdit, renaming]);

  // Nodes and edges are derived again during the render that brings a new graph (or diagnostics,
  // selection, run), not in an effect: an effect runs after the window has painted, so the
  // canvas would show an edit a frame after the inspector does.
  const [derivedFrom, setDerivedFrom] = useState<Sources | null>(null);
  const sources: Sources = { graph, diagnostics, selectedId, runStatus };
  if (derivedFrom === null || SOURCE_KEYS.some((key) => derivedFrom[key] !== sources[key])) {
    setDerivedFrom(sources);
    const next = toFlowNodes(graph, diagnostics, runStatus, selectedId);
    setNodes((previous) => keepUnchanged(previous, next));
    if (derivedFrom?.graph.edges !== graph.edges) {
      const nextEdges = toFlowEdges(graph);
      setEdges((previous) => keepUnchanged(previous, nextEdges));
    }
  }
  // The window around the view (dashedClip.ts), for the edges (ViewWindow) and, in a large
  // machine, to give React Flow only the transitions whose route can reach it (edgeCulling.ts).
  const large = graph.nodes.length > RENDER_ALL_UP_TO;
  const area = useViewWindowKey();
  const shownEdges = useEdgesNear(edges, nodes, large ? area : "");
  // React Flow copies the `nodes` and `edges` props into its store in an effect. A snapshot is
  // rendered synchronously (useDocument), and React runs the effects of a synchronous render
  // before the window paints: the edit reaches the canvas in the inspector's frame, with one
  // store update (each runs every store subscriber).

  // The handlers given to React Flow read the latest props through this ref, so they keep their
  // identity from one edit to the next (see FIT_VIEW_OPTIONS).
  const latest = useRef({ graph, onEdit, onMove, onSelect });
  useLayoutEffect(() => {
    latest.current = { graph, onEdit, onMove, onSelect };
  });
  const onConnect = useCallback((connection: Connection) => {
    const { graph, onEdit } = latest.current;
    const transition = transitionFor(connection.source, graph);
    const target = graph.nodes.find((n) => n.id === connection.target);
    if (!transition || !target || target.kind !== "state") return;
    onEdit({ kind: "connect", from: connection.source, transition, to: target.name });
  }, []);
  const onNodeDragStop = useCallback((_: unknown, node: FlowNode) => {
    latest.current.onMove(node.id, node.position.x, node.position.y);
  }, []);
  // Only what the user picks is reported: a selection set from outside (the code view's cursor,
  // an edit's focus) must not echo back as a new pick.
  const onNodeClick = useCallback((_: unknown, node: FlowNode) => {
    latest.current.onSelect(node.type === "marker" ? null : node.id);
  }, []);
  const onPaneClick = useCallback(() => latest.current.onSelect(null), []);

  /** The selected states' ASL objects by name (as written, JSON or YAML alike), in graph order. */
  const selectedStates = useCallback(async (): Promise<[string[], CopiedStates]> => {
    const ids = nodes.filter((node) => node.selected && node.type !== "marker").map((node) => node.id);
    const ordered = [...byMachine(ids, graph).values()].flat();
    const values = await Promise.all(ordered.map((state) => rpc("inspect_state", { documentId, state })));
    const states: CopiedStates = {};
    ordered.forEach((id, i) => {
      states[nameOf(id)] = values[i]?.value;
    });
    return [ordered, states];
  }, [nodes, graph, documentId]);

  const onClipboardKey = useCallback(
    (key: string) => {
      const selected = nodes.find((node) => node.selected && node.type !== "marker")?.id ?? null;
      if (key === "v") {
        void readCopy().then((states) => {
          if (states) onEdit(pasteEdit(states, selected));
        });
        return;
      }
      void selectedStates().then(async ([ids, states]) => {
        if (ids.length === 0) return;
        await writeCopy(states);
        if (key !== "d") return;
        // Duplicate: each machine's selected states pasted into that machine, one edit each.
        for (const [machine, group] of byMachine(ids, graph)) {
          const copies = Object.fromEntries(group.map((id) => [nameOf(id), states[nameOf(id)]]));
          onEdit({ kind: "pasteStates", machine, states: copies });
        }
      }, () => undefined);
    },
    [nodes, graph, onEdit, selectedStates],
  );

  const onKeyDown = useCallback(
    (event: React.KeyboardEvent) => {
      if ((event.target as HTMLElement).closest("input, textarea, .cm-editor")) return;
      const key = event.key.toLowerCase();
      if ((event.ctrlKey || event.metaKey) && !event.altKey && ["c", "v", "d"].includes(key)) {
        event.preventDefault();
        onClipboardKey(key);
        return;
      }
      if (event.key === "F2") {
        const selected = nodes.find((node) => node.selected && node.type !== "marker");
        if (selected) {
          event.preventDefault();
          setRenaming(selected.id);
        }
        return;
      }
      if (event.key !== "Delete" && event.key !== "Backspace") return;
      for (const node of nodes) {
        if (node.selected && node.type !== "marker") onEdit({ kind: "removeState", state: node.id });
      }
      for (const edge of edges) {
        const transition = edge.selected ? edgeTransition(edge) : null;
        if (transition) onEdit({ kind: "disconnect", from: edge.source, transition });
      }
    },
    [nodes, edges, onEdit, onClipboardKey],
  );

  return (
    <EditContext.Provider value={actions}>
      <ViewWindow.Provider value={area}>
        <div className="canvas-keys" onKeyDown={onKeyDown} tabIndex={-1}>
          <ReactFlow
            nodes={nodes}
            edges={shownEdges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onNodeDragStop={onNodeDragStop}
            onNodeClick={onNodeClick}
            onPaneClick={onPaneClick}
            onConnect={onConnect}
            deleteKeyCode={null}
            colorMode={colorMode}
            fitViewOptions={FIT_VIEW_OPTIONS}
            minZoom={0.1}
            onlyRenderVisibleElements={large}
            proOptions={PRO_OPTIONS}
          >
            <DotGrid colorMode={colorMode} />
            <Controls showInteractive={false} />
            <Minimap colorMode={colorMode} />
            <OpeningView documentId={documentId} graph={graph} />
          </ReactFlow>
        </div>
      </ViewWindow.Provider>
    </EditContext.Provider>
  );
}
