// Which transitions of a large machine are handed to React Flow: those whose route can reach a
// window around the view.
//
// React Flow's own culling (`onlyRenderVisibleElements`) keeps an edge when the box spanning its
// two states meets the view. A Catch from each of 200 states to one handler spans the whole
// machine, so with 20 states in view React Flow kept 218 edges and 201 labels; each rendered
// edge holds about five store subscriptions, and every zoom or pan step ran all of them (about
// 1,200 callbacks, a third of the step's script time). An orthogonal route from a state's bottom
// to a lower state's top runs down to the middle, across, and down again: only those three
// segments can be seen. Any other route (loops, targets above their source) is judged by its
// box. The window is the one of `dashedClip.ts`, kept while the view stays in it, so the list
// changes only when the view moves to another window.
import { useMemo, useState } from "react";
import { windowOf, type Window } from "./dashedClip";

type Box = { x: number; y: number; width: number; height: number };
type Positioned = {
  id: string;
  position: { x: number; y: number };
  width?: number;
  height?: number;
  measured?: { width?: number; height?: number };
  parentId?: string;
};
type Routed = { source: string; target: string; sourceHandle?: string | null };

/** Slack around a route, in flow units: the step path's offset, arrow, label and stroke. */
const SLACK = 60;

/** Each node's box in flow coordinates (child positions are relative to their parent). */
export function absoluteBoxes(nodes: readonly Positioned[]): Map<string, Box> {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const boxes = new Map<string, Box>();
  const boxOf = (node: Positioned, depth: number): Box => {
    const known = boxes.get(node.id);
    if (known) return known;
    const parent = node.parentId !== undefined ? byId.get(node.parentId) : undefined;
    // A parent chain never loops in a graph from Rust; the depth bound keeps a bad one finite.
    const origin = parent && depth < 64 ? boxOf(parent, depth + 1) : { x: 0, y: 0 };
    const box = {
      x: origin.x + node.position.x,
      y: origin.y + node.position.y,
      width: node.measured?.width ?? node.width ?? 0,
      height: node.measured?.height ?? node.height ?? 0,
    };
    boxes.set(node.id, box);
    return box;
  };
  for (const node of nodes) boxOf(node, 0);
  return boxes;
}

/** Whether the rectangle spanning two points, grown by the slack, meets the window. */
function spanMeets(x0: number, y0: number, x1: number, y1: number, w: Window): boolean {
  return (
    Math.max(x0, x1) + SLACK >= w.left &&
    Math.min(x0, x1) - SLACK <= w.right &&
    Math.max(y0, y1) + SLACK >= w.top &&
    Math.min(y0, y1) - SLACK <= w.bottom
  );
}

/** Whether an edge's route between two boxes can reach the window. */
export function routeMeets(source: Box, target: Box, loop: boolean, w: Window): boolean {
  const sx = source.x + source.width / 2;
  const sy = source.y + source.height;
  const tx = target.x + target.width / 2;
  const ty = target.y;
  if (loop || ty < sy) {
    const x0 = Math.min(source.x, target.x);
    const x1 = Math.max(source.x + source.width, target.x + target.width);
    return spanMeets(x0, Math.min(source.y, target.y), x1, Math.max(sy, target.y + target.height), w);
  }
  const middle = (sy + ty) / 2;
  return spanMeets(sx, sy, sx, middle, w) || spanMeets(sx, middle, tx, middle, w) || spanMeets(tx, middle, tx, ty, w);
}

/** The edges whose route can reach the window, in their order. */
export function edgesNear<E extends Routed>(edges: readonly E[], nodes: readonly Positioned[], w: Window): E[] {
  const boxes = absoluteBoxes(nodes);
  return edges.filter((edge) => {
    const source = boxes.get(edge.source);
    const target = boxes.get(edge.target);
    // An edge whose ends are unknown is React Flow's to judge.
    if (!source || !target) return true;
    return routeMeets(source, target, edge.sourceHandle === "loop-out", w);
  });
}

/**
 * The edges to hand React Flow: near the view's window when `area` names one (a
 * `dashedClip.nextWindowKey`), else all. The same array as last time while it holds the same
 * edges: React Flow copies a new array into its store and re-renders every edge, and the nodes
 * change at every step of a drag.
 */
export function useEdgesNear<E extends Routed>(edges: E[], nodes: readonly Positioned[], area: string): E[] {
  const near = useMemo(() => (area === "" ? edges : edgesNear(edges, nodes, windowOf(area))), [edges, nodes, area]);
  const [shown, setShown] = useState(near);
  const same = shown === near || (shown.length === near.length && shown.every((edge, i) => edge === near[i]));
  if (!same) setShown(near);
  return same ? shown : near;
}
