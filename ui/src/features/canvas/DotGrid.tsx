// The canvas's dot grid, painted as a tiled CSS background of the pane.
//
// React Flow's Background draws the dots as an SVG pattern; without composited layers
// (decision 0012) WebKitGTK fills the whole pane with that pattern again at every zoom or pan
// step, which took about a fifth of each frame. A CSS background tile is painted from one small
// image. The tile follows the view through the store directly (no React render per step), and
// zoomed far out the dots thin out (the gap doubles) instead of turning into a grey haze.
import { useEffect, useRef } from "react";
import { useStoreApi, type ReactFlowState } from "@xyflow/react";

/** Flow units between dots at full zoom. */
const GAP = 20;
/** Below this many screen pixels between dots, the gap doubles. */
const MIN_SCREEN_GAP = 12;

/** The tile: its size in screen pixels and where it starts, so dots sit on multiples of the gap. */
export function gridTile(transform: ReactFlowState["transform"]): { size: number; x: number; y: number } {
  const [tx, ty, zoom] = transform;
  let gap = GAP;
  while (gap * zoom < MIN_SCREEN_GAP) gap *= 2;
  const size = gap * zoom;
  // The dot is at the tile's centre: a tile starts half a gap before each dot.
  const start = (offset: number) => ((((offset - size / 2) % size) + size) % size);
  return { size, x: start(tx), y: start(ty) };
}

export function DotGrid() {
  const store = useStoreApi();
  const grid = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let shown: ReactFlowState["transform"] | null = null;
    const follow = (state: ReactFlowState) => {
      const element = grid.current;
      if (!element || state.transform === shown) return;
      shown = state.transform;
      const tile = gridTile(state.transform);
      element.style.backgroundSize = `${tile.size}px ${tile.size}px`;
      element.style.backgroundPosition = `${tile.x}px ${tile.y}px`;
    };
    follow(store.getState());
    return store.subscribe(follow);
  }, [store]);
  return <div ref={grid} className="react-flow__background dot-grid" data-testid="dot-grid" />;
}
