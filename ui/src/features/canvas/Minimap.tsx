// The canvas's minimap: every state as a rectangle, the part of the machine in view framed;
// drag in it to pan, scroll in it to zoom, click to bring that spot to the centre.
//
// React Flow's own MiniMap keeps one SVG rectangle and one store subscription per node and
// measures every node's bounds again at each store update: with 1,000 states each zoom or pan
// step ran thousands of selectors and repainted 1,000 rectangles (decision 0012). Here the
// states are one path per kind, rebuilt only when the nodes change, and a zoom or pan step
// changes the frame (and the view box, while the frame reaches past the states).
import { memo, useEffect, useLayoutEffect, useMemo, useRef } from "react";
import { Panel, useReactFlow, useStore, useStoreApi, type ReactFlowState } from "@xyflow/react";
import { XYMinimap, type Rect, type XYMinimapInstance } from "@xyflow/system";

/** The minimap's size in the page, in CSS pixels. */
const WIDTH = 200;
const HEIGHT = 150;
/** Room around the drawing, in minimap pixels. */
const MARGIN = 5;

/** The states' rectangles as path data: containers (drawn under) and the rest. */
export type MinimapShapes = { containers: string; states: string; bounds: Rect | null };

/** Node types drawn as containers (Parallel, Map): their children are drawn over them. */
const CONTAINER = "container";

/**
 * The path data of every node React Flow has measured, in flow coordinates, and their bounds.
 * Hidden nodes and nodes not yet measured are left out, as React Flow's minimap does.
 */
export function minimapShapes(lookup: ReactFlowState["nodeLookup"]): MinimapShapes {
  const containers: string[] = [];
  const states: string[] = [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const node of lookup.values()) {
    const width = node.measured.width ?? node.width ?? 0;
    const height = node.measured.height ?? node.height ?? 0;
    if (node.hidden || width <= 0 || height <= 0) continue;
    const { x, y } = node.internals.positionAbsolute;
    (node.type === CONTAINER ? containers : states).push(`M${round(x)} ${round(y)}h${round(width)}v${round(height)}h${round(-width)}z`);
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x + width);
    maxY = Math.max(maxY, y + height);
  }
  const bounds = minX <= maxX ? { x: minX, y: minY, width: maxX - minX, height: maxY - minY } : null;
  return { containers: containers.join(""), states: states.join(""), bounds };
}

/** Path numbers to a tenth of a flow unit: far below a minimap pixel, and shorter text. */
function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The part of the flow in view, in flow coordinates. */
export function viewRect(transform: [number, number, number], width: number, height: number): Rect {
  const [tx, ty, zoom] = transform;
  return { x: -tx / zoom, y: -ty / zoom, width: width / zoom, height: height / zoom };
}

/**
 * The minimap's view box: the states and the view together, centred in the minimap's aspect
 * ratio with a margin; `scale` is flow units per minimap pixel.
 */
export function minimapBox(bounds: Rect | null, view: Rect): Rect & { scale: number } {
  const x0 = Math.min(bounds?.x ?? view.x, view.x);
  const y0 = Math.min(bounds?.y ?? view.y, view.y);
  const x1 = Math.max(bounds ? bounds.x + bounds.width : view.x + view.width, view.x + view.width);
  const y1 = Math.max(bounds ? bounds.y + bounds.height : view.y + view.height, view.y + view.height);
  const scale = Math.max((x1 - x0) / WIDTH, (y1 - y0) / HEIGHT) || 1;
  const margin = MARGIN * scale;
  const width = WIDTH * scale + 2 * margin;
  const height = HEIGHT * scale + 2 * margin;
  return {
    x: x0 - (WIDTH * scale - (x1 - x0)) / 2 - margin,
    y: y0 - (HEIGHT * scale - (y1 - y0)) / 2 - margin,
    width,
    height,
    scale,
  };
}

const selectNodes = (s: ReactFlowState) => s.nodes;
const selectPanZoom = (s: ReactFlowState) => s.panZoom;
const selectTransform = (s: ReactFlowState) => s.transform;
const selectWidth = (s: ReactFlowState) => s.width;
const selectHeight = (s: ReactFlowState) => s.height;
const selectExtent = (s: ReactFlowState) => s.translateExtent;

/** The states' paths: re-rendered only when the nodes change, not at each zoom or pan step. */
const MinimapStates = memo(function MinimapStates({ shapes }: { shapes: MinimapShapes }) {
  return (
    <>
      <path className="react-flow__minimap-node minimap-containers" d={shapes.containers} />
      <path className="react-flow__minimap-node" d={shapes.states} />
    </>
  );
});

export function Minimap() {
  const store = useStoreApi();
  const svg = useRef<SVGSVGElement>(null);
  const nodes = useStore(selectNodes);
  const panZoom = useStore(selectPanZoom);
  const transform = useStore(selectTransform);
  const flowWidth = useStore(selectWidth);
  const flowHeight = useStore(selectHeight);
  const translateExtent = useStore(selectExtent);
  // The lookup holds each node's absolute position and measured size; it is up to date whenever
  // the nodes array React Flow holds is new (measuring a node gives the canvas new nodes).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const shapes = useMemo(() => minimapShapes(store.getState().nodeLookup), [nodes, store]);
  const view = viewRect(transform, flowWidth, flowHeight);
  const box = minimapBox(shapes.bounds, view);

  // Dragging and scrolling in the minimap move the canvas (React Flow's own minimap behaviour,
  // from @xyflow/system); it reads the scale of the latest render.
  const scale = useRef(box.scale);
  useLayoutEffect(() => {
    scale.current = box.scale;
  }, [box.scale]);
  const minimap = useRef<XYMinimapInstance | null>(null);
  useEffect(() => {
    if (!svg.current || !panZoom) return;
    minimap.current = XYMinimap({
      domNode: svg.current,
      panZoom,
      getTransform: () => store.getState().transform,
      getViewScale: () => scale.current,
    });
    return () => {
      minimap.current?.destroy();
      minimap.current = null;
    };
  }, [panZoom, store]);
  useEffect(() => {
    minimap.current?.update({
      translateExtent,
      width: flowWidth,
      height: flowHeight,
      pannable: true,
      zoomable: true,
    });
  }, [panZoom, translateExtent, flowWidth, flowHeight]);

  // A click (not the end of a drag) brings the spot clicked to the centre of the canvas.
  const { setCenter } = useReactFlow();
  const onClick = (event: React.MouseEvent<SVGSVGElement>) => {
    // In the minimap's own coordinates (its view box is in flow units); React hands the event
    // over from the root, so the target is named.
    const point = svg.current && minimap.current?.pointer(event.nativeEvent, svg.current);
    if (point) void setCenter(point[0], point[1], { zoom: store.getState().transform[2] });
  };

  const outer = `M${box.x - box.width},${box.y - box.height}h${box.width * 3}v${box.height * 3}h${-box.width * 3}z`;
  const frame = `M${view.x},${view.y}h${view.width}v${view.height}h${-view.width}z`;
  return (
    <Panel position="bottom-right" className="react-flow__minimap" data-testid="minimap">
      <svg
        ref={svg}
        width={WIDTH}
        height={HEIGHT}
        viewBox={`${box.x} ${box.y} ${box.width} ${box.height}`}
        className="react-flow__minimap-svg"
        role="img"
        aria-label="Minimap: drag to pan, scroll to zoom, click to centre"
        onClick={onClick}
      >
        <MinimapStates shapes={shapes} />
        <path className="react-flow__minimap-mask" d={outer + frame} fillRule="evenodd" pointerEvents="none" />
      </svg>
    </Panel>
  );
}
