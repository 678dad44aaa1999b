import { useEffect } from "react";
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useEdgesState,
  useNodesState,
  type ColorMode,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import type { DiagnosticView, GraphView } from "../../ipc/rpc";
import { nodeTypes } from "./nodes";
import { edgeTypes } from "./TransitionEdge";
import { toFlowEdges, toFlowNodes, type FlowNode, type TransitionFlowEdge } from "./toFlow";

type Props = { graph: GraphView; diagnostics: DiagnosticView[]; colorMode: ColorMode };

/** The state machine drawn at the positions the Rust layout chose; nodes can be dragged. */
export function Canvas({ graph, diagnostics, colorMode }: Props) {
  const [nodes, setNodes, onNodesChange] = useNodesState<FlowNode>(toFlowNodes(graph, diagnostics));
  const [edges, setEdges, onEdgesChange] = useEdgesState<TransitionFlowEdge>(toFlowEdges(graph));

  useEffect(() => {
    setNodes(toFlowNodes(graph, diagnostics));
    setEdges(toFlowEdges(graph));
  }, [graph, diagnostics, setNodes, setEdges]);

  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      colorMode={colorMode}
      fitView
      fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
      minZoom={0.1}
      proOptions={{ hideAttribution: true }}
    >
      <Background gap={20} />
      <Controls showInteractive={false} />
      <MiniMap pannable zoomable />
    </ReactFlow>
  );
}
