// Where each node's handles are, given to React Flow before it has drawn the node.
//
// React Flow learns where a node's handles are by measuring them once the node is on screen, and
// it draws every node it has not measured yet, even with `onlyRenderVisibleElements`: opening a
// 1,000-state machine mounted all 1,000 nodes, measured them and then dropped all but the twenty
// in view (about 600 ms of a first open). Handles given with the node (`Node.handles`) count as
// measured, so only the nodes in view are drawn; those React Flow then measures itself.
//
// The positions follow the stylesheet (`styles.css`, React Flow's `style.css`): a handle is a
// 6 px box (everything is border-box) centred on its side, placed inside the padding box of
// the nearest positioned ancestor. States and containers are positioned and have a 1 px
// border; a marker is not positioned, so its handles sit on the node's own box. The window test
// `handles_given_to_react_flow_match_the_drawn_ones` compares these with the drawn handles.
import { Position, type NodeHandle } from "@xyflow/react";

/** The side of a handle's box (`.react-flow__handle`). */
const HANDLE = 6;
/** The border of `.state` and `.container`. */
const NODE_BORDER = 1;

/** How far down the right side a loop leaves and re-enters its state (`nodes.tsx`). */
export const LOOP_OUT = 0.65;
export const LOOP_IN = 0.35;

/**
 * The handles of a node of this size, in the order the node renders them (React Flow takes
 * the first source and the first target when an edge names no handle).
 */
export function nodeHandles(kind: "state" | "start" | "end", width: number, height: number): NodeHandle[] {
  const border = kind === "state" ? NODE_BORDER : 0;
  const half = HANDLE / 2;
  const centreX = width / 2 - half;
  const top = { type: "target", position: Position.Top, x: centreX, y: border - half } as const;
  const bottom = { type: "source", position: Position.Bottom, x: centreX, y: height - border - half } as const;
  if (kind === "start") return [sized(bottom)];
  if (kind === "end") return [sized(top)];
  const right = width - border - half;
  const down = (fraction: number) => border + fraction * (height - 2 * border) - half;
  return [
    sized(top),
    sized(bottom),
    sized({ id: "loop-out", type: "source", position: Position.Right, x: right, y: down(LOOP_OUT) }),
    sized({ id: "loop-in", type: "target", position: Position.Right, x: right, y: down(LOOP_IN) }),
  ];
}

function sized(handle: Omit<NodeHandle, "width" | "height">): NodeHandle {
  return { id: null, ...handle, width: HANDLE, height: HANDLE };
}
