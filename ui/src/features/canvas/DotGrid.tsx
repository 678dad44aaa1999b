// The canvas's dot grid, drawn into a <canvas> behind the states.
//
// React Flow's Background draws the dots as an SVG pattern, and a CSS background tile is not
// much cheaper: without composited layers (decision 0012) WebKitGTK fills the whole pane with
// the scaled pattern again at every zoom or pan step (2–3 ms of a 16.7 ms frame). Here the dots
// are drawn once per step into an opaque canvas the size of the pane, which WebKit then copies.
// The grid follows the view through the store directly (no React render per step), and zoomed
// far out the dots thin out (the gap doubles) instead of turning into a grey haze.
import { useEffect, useRef } from "react";
import { useStoreApi, type ColorMode, type ReactFlowState } from "@xyflow/react";

/** Flow units between dots at full zoom. */
const GAP = 20;
/** Below this many screen pixels between dots, the gap doubles. */
const MIN_SCREEN_GAP = 12;
/** A dot's side, in CSS pixels. */
const DOT = 1.5;

/** The screen distance between dots and the screen position of the first dot at or after 0. */
export function gridTile(transform: ReactFlowState["transform"]): { size: number; x: number; y: number } {
  const [tx, ty, zoom] = transform;
  let gap = GAP;
  while (gap * zoom < MIN_SCREEN_GAP) gap *= 2;
  const size = gap * zoom;
  // Dots sit on multiples of the gap in flow units: at tx + k·size on screen.
  const first = (offset: number) => ((offset % size) + size) % size;
  return { size, x: first(tx), y: first(ty) };
}

/**
 * Draws the grid for `state` (the pane's size and the view) into `canvas`: one row of dots into
 * `row`, then that row copied down the pane (a dot at a time, a 900 × 650 pane at the smallest
 * gap took 4,000 fills per zoom or pan step).
 */
function draw(
  canvas: HTMLCanvasElement,
  row: HTMLCanvasElement,
  state: ReactFlowState,
  colors: { background: string; dot: string },
) {
  const scale = window.devicePixelRatio || 1;
  const [width, height] = [Math.ceil(state.width * scale), Math.ceil(state.height * scale)];
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const context = canvas.getContext("2d");
  if (!context) return;
  context.fillStyle = colors.background;
  context.fillRect(0, 0, width, height);
  const tile = gridTile(state.transform);
  const [step, dot] = [tile.size * scale, Math.max(1, Math.round(DOT * scale))];
  if (row.width !== width || row.height !== dot) {
    row.width = width;
    row.height = dot;
  }
  const rowContext = row.getContext("2d");
  if (!rowContext) return;
  rowContext.clearRect(0, 0, width, dot);
  rowContext.fillStyle = colors.dot;
  // Whole device pixels: a dot at a fractional position would be smeared over four.
  for (let x = tile.x * scale; x < width; x += step) rowContext.fillRect(Math.round(x - dot / 2), 0, dot, dot);
  for (let y = tile.y * scale; y < height; y += step) context.drawImage(row, 0, Math.round(y - dot / 2));
}

export function DotGrid({ colorMode }: { colorMode: ColorMode }) {
  const store = useStoreApi();
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    // The theme's colours (React Flow's variables on its wrapper), read again when it changes.
    const style = getComputedStyle(element);
    const colors = {
      background: style.getPropertyValue("--xy-background-color-default").trim() || "transparent",
      dot: style.getPropertyValue("--xy-background-pattern-dots-color-default").trim() || "#91919a",
    };
    const row = document.createElement("canvas");
    let shown: [ReactFlowState["transform"], number, number] | null = null;
    const follow = (state: ReactFlowState) => {
      if (shown && shown[0] === state.transform && shown[1] === state.width && shown[2] === state.height) return;
      shown = [state.transform, state.width, state.height];
      draw(element, row, state, colors);
    };
    follow(store.getState());
    return store.subscribe(follow);
  }, [store, colorMode]);
  return <canvas ref={canvas} className="react-flow__background dot-grid" data-testid="dot-grid" />;
}
