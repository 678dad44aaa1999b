// The canvas's minimap: every state as a rectangle, the part of the machine in view framed;
// drag in it to pan, scroll in it to zoom, click to bring that spot to the centre.
//
// React Flow's own MiniMap keeps one SVG rectangle and one store subscription per node and
// measures every node's bounds again at each store update: with 1,000 states each zoom or pan
// step ran thousands of selectors and repainted 1,000 rectangles (decision 0012). Here the
// states are one path per kind, rebuilt only when the nodes change and drawn into a canvas
// when they or the minimap's view box change; a zoom or pan step moves the frame, an SVG path
// over that canvas.
import { useEffect, useLayoutEffect, useMemo, useRef } from "react";
import { Panel, useReactFlow, useStore, useStoreApi, type ColorMode, type ReactFlowState } from "@xyflow/react";
import { XYMinimap, type Rect, type XYMinimapInstance } from "@xyflow/system";

/** The minimap's size in the page, in CSS pixels. */
const WIDTH = 200;
const HEIGHT = 150;
/** Room around the drawing, in minimap pixels. */
const MARGIN = 5;

/**
 * The states' rectangles as path data: containers (drawn under) and the rest; how many; and
 * each one's box and kind, to tell whether a later node list draws the same picture.
 */
export type MinimapShapes = {
  containers: string;
  states: string;
  count: number;
  bounds: Rect | null;
  boxes: readonly number[];
};

/** Node types drawn as containers (Parallel, Map): their children are drawn over them. */
const CONTAINER = "container";

/**
 * The path data of every node React Flow has measured, in flow coordinates, and their bounds.
 * Hidden nodes and nodes not yet measured are left out, as React Flow's minimap does. When the
 * boxes and kinds are those of `previous`, `previous` itself: an edit that moves and resizes
 * nothing (most inspector edits) draws the minimap again for nothing, 1–2 ms of a 1,000-state
 * edit's frame.
 */
export function minimapShapes(lookup: ReactFlowState["nodeLookup"], previous?: MinimapShapes): MinimapShapes {
  // Five numbers per drawn node: x, y, width, height, and 1 for a container.
  const boxes: number[] = [];
  for (const node of lookup.values()) {
    const width = node.measured.width ?? node.width ?? 0;
    const height = node.measured.height ?? node.height ?? 0;
    if (node.hidden || width <= 0 || height <= 0) continue;
    const { x, y } = node.internals.positionAbsolute;
    boxes.push(x, y, width, height, node.type === CONTAINER ? 1 : 0);
  }
  if (previous && previous.boxes.length === boxes.length && previous.boxes.every((n, i) => n === boxes[i])) {
    return previous;
  }
  const containers: string[] = [];
  const states: string[] = [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < boxes.length; i += 5) {
    const x = boxes[i]!;
    const y = boxes[i + 1]!;
    const width = boxes[i + 2]!;
    const height = boxes[i + 3]!;
    (boxes[i + 4] ? containers : states).push(`M${round(x)} ${round(y)}h${round(width)}v${round(height)}h${round(-width)}z`);
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x + width);
    maxY = Math.max(maxY, y + height);
  }
  const bounds = minX <= maxX ? { x: minX, y: minY, width: maxX - minX, height: maxY - minY } : null;
  const count = containers.length + states.length;
  return { containers: containers.join(""), states: states.join(""), count, bounds, boxes };
}

/** `minimapShapes` that keeps its last answer while the picture stays the same. */
function keptShapes(): (lookup: ReactFlowState["nodeLookup"]) => MinimapShapes {
  let last: MinimapShapes | undefined;
  return (lookup) => (last = minimapShapes(lookup, last));
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

/** The minimap's colours: React Flow's variables on its wrapper, for the theme shown. */
function minimapColors(element: Element): { background: string; node: string } {
  const style = getComputedStyle(element);
  return {
    background: style.getPropertyValue("--xy-minimap-background-color-default").trim() || "#fff",
    node: style.getPropertyValue("--xy-minimap-node-background-color-default").trim() || "#e2e2e2",
  };
}

/** Draws the states into `canvas`, its area showing `box` (flow coordinates). */
function drawStates(canvas: HTMLCanvasElement, shapes: MinimapShapes, box: Rect) {
  const scale = window.devicePixelRatio || 1;
  const [width, height] = [Math.round(WIDTH * scale), Math.round(HEIGHT * scale)];
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const context = canvas.getContext("2d");
  if (!context) return;
  const colors = minimapColors(canvas);
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.fillStyle = colors.background;
  context.fillRect(0, 0, width, height);
  const [sx, sy] = [width / box.width, height / box.height];
  context.setTransform(sx, 0, 0, sy, -box.x * sx, -box.y * sy);
  context.fillStyle = colors.node;
  // Containers lie under their children: drawn lighter.
  context.globalAlpha = 0.45;
  context.fill(new Path2D(shapes.containers));
  context.globalAlpha = 1;
  context.fill(new Path2D(shapes.states));
}

export function Minimap({ colorMode }: { colorMode: ColorMode }) {
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
  const shapesOf = useMemo(() => keptShapes(), []);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const shapes = useMemo(() => shapesOf(store.getState().nodeLookup), [nodes, store, shapesOf]);
  const view = viewRect(transform, flowWidth, flowHeight);
  const box = minimapBox(shapes.bounds, view);
  const [boxX, boxY, boxWidth, boxHeight] = [box.x, box.y, box.width, box.height];

  // The states are drawn again only when they or the view box change, not at each step.
  const drawing = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (drawing.current) drawStates(drawing.current, shapes, { x: boxX, y: boxY, width: boxWidth, height: boxHeight });
  }, [shapes, boxX, boxY, boxWidth, boxHeight, colorMode]);

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
  // Where the button went down: taken while the event comes down (the pan handler stops it there).
  const pressedAt = useRef<[number, number] | null>(null);
  const onMouseDown = (event: React.MouseEvent<SVGSVGElement>) => {
    pressedAt.current = [event.clientX, event.clientY];
  };
  const onClick = (event: React.MouseEvent<SVGSVGElement>) => {
    const from = pressedAt.current;
    pressedAt.current = null;
    if (from && Math.hypot(event.clientX - from[0], event.clientY - from[1]) > 3) return;
    // In the minimap's own coordinates (its view box is in flow units); React hands the event
    // over from the root, so the target is named.
    const point = svg.current && minimap.current?.pointer(event.nativeEvent, svg.current);
    if (point) void setCenter(point[0], point[1], { zoom: store.getState().transform[2] });
  };

  const outer = `M${box.x - box.width},${box.y - box.height}h${box.width * 3}v${box.height * 3}h${-box.width * 3}z`;
  const frame = `M${view.x},${view.y}h${view.width}v${view.height}h${-view.width}z`;
  return (
    <Panel position="bottom-right" className="react-flow__minimap" data-testid="minimap">
      <canvas
        ref={drawing}
        className="minimap-states"
        style={{ width: WIDTH, height: HEIGHT }}
        data-states={shapes.count}
        aria-hidden
      />
      <svg
        ref={svg}
        width={WIDTH}
        height={HEIGHT}
        viewBox={`${box.x} ${box.y} ${box.width} ${box.height}`}
        className="react-flow__minimap-svg"
        role="img"
        aria-label="Minimap: drag to pan, scroll to zoom, click to centre"
        onMouseDownCapture={onMouseDown}
        onClick={onClick}
      >
        <path className="react-flow__minimap-mask" d={outer + frame} fillRule="evenodd" pointerEvents="none" />
      </svg>
    </Panel>
  );
}
