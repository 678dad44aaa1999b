// Where the canvas looks when a document opens. A small machine is fitted whole; a large one
// would shrink to unreadable specks, so it opens at a zoom where state names can still be read,
// at its start (the top of its flow), and the minimap gives the overview.
import { useReactFlow, useStore } from "@xyflow/react";
import { useEffect, useRef } from "react";
import type { GraphView } from "../../ipc/rpc";

export type Viewport = { x: number; y: number; zoom: number };

/** Below this zoom a state's name is too small to read. */
export const READABLE_ZOOM = 0.5;
const MAX_ZOOM = 1;
/** Space kept around the machine, as a fraction of the pane. */
const PADDING = 0.1;

/**
 * The viewport that shows `graph` in a pane of `width` × `height` pixels: the whole machine
 * centred when it fits at a readable zoom, else its start at the readable zoom.
 */
export function openingView(graph: GraphView, width: number, height: number): Viewport | null {
  const top = graph.nodes.filter((node) => node.parent === null);
  if (top.length === 0 || width <= 0 || height <= 0) return null;
  const left = Math.min(...top.map((n) => n.x));
  const right = Math.max(...top.map((n) => n.x + n.width));
  const upper = Math.min(...top.map((n) => n.y));
  const lower = Math.max(...top.map((n) => n.y + n.height));
  const [boundsWidth, boundsHeight] = [Math.max(right - left, 1), Math.max(lower - upper, 1)];
  const [roomX, roomY] = [width * (1 - 2 * PADDING), height * (1 - 2 * PADDING)];
  const fit = Math.min(roomX / boundsWidth, roomY / boundsHeight, MAX_ZOOM);
  const zoom = Math.max(fit, Math.min(READABLE_ZOOM, MAX_ZOOM));
  // Horizontally: centred when it fits, else centred on the start marker.
  const start = top.find((n) => n.kind === "start");
  const centreX =
    boundsWidth * zoom <= roomX || !start ? (left + right) / 2 : start.x + start.width / 2;
  const x = width / 2 - centreX * zoom;
  // Vertically: centred when it fits, else its top under the padding.
  const y =
    boundsHeight * zoom <= roomY
      ? height / 2 - ((upper + lower) / 2) * zoom
      : height * PADDING - upper * zoom;
  return { x, y, zoom };
}

/**
 * Sets the canvas's view once per document, as soon as the pane has a size: each document
 * opens in its own view (the last document's viewport means nothing for the next).
 */
export function OpeningView({ documentId, graph }: { documentId: number; graph: GraphView }) {
  const { setViewport } = useReactFlow();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const viewed = useRef<number | null>(null);
  useEffect(() => {
    if (viewed.current === documentId) return;
    const view = openingView(graph, width, height);
    if (view === null) return;
    viewed.current = documentId;
    void setViewport(view);
  }, [documentId, graph, width, height, setViewport]);
  return null;
}
