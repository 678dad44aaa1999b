// A dashed transition that runs far off screen is drawn only where it can be seen. Painting a
// dash pattern costs its whole length: a Catch edge from every state of a 1,000-state machine
// to one handler is tens of thousands of pixels long, and 200 of them made every pan frame take
// 120 ms in WebKitGTK. The path React Flow routes is cut to a window around the view, and the
// dash offset carries the length that was cut, so the dashes sit where they would have.

import { createContext, useCallback, useRef } from "react";
import { useStore, type ReactFlowState } from "@xyflow/react";

type Point = { x: number; y: number };
type Piece = { kind: "L"; from: Point; to: Point } | { kind: "Q"; from: Point; ctrl: Point; to: Point };

/** A rectangle in flow coordinates. */
export type Window = { left: number; top: number; right: number; bottom: number };

/** Below this many flow pixels between its ends an edge is drawn whole. */
export const LONG_EDGE = 1500;

/** The pieces of a path made of M, L and Q commands (what React Flow's step paths use). */
function pieces(path: string): Piece[] {
  const out: Piece[] = [];
  let at: Point | null = null;
  for (const [, command, args] of path.matchAll(/([MLQ])([^MLQ]*)/g)) {
    const n = (args ?? "").match(/-?\d*\.?\d+(?:e[-+]?\d+)?/gi)?.map(Number) ?? [];
    if (command === "M" && n.length >= 2) {
      at = { x: n[0]!, y: n[1]! };
    } else if (command === "L" && n.length >= 2 && at) {
      const to = { x: n[0]!, y: n[1]! };
      out.push({ kind: "L", from: at, to });
      at = to;
    } else if (command === "Q" && n.length >= 4 && at) {
      const to = { x: n[2]!, y: n[3]! };
      out.push({ kind: "Q", from: at, ctrl: { x: n[0]!, y: n[1]! }, to });
      at = to;
    }
  }
  return out;
}

const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

/** The part [t0, t1] of the segment a→b inside the window (Liang–Barsky), or null. */
function clipSegment(a: Point, b: Point, w: Window): [number, number] | null {
  let [t0, t1] = [0, 1];
  const [dx, dy] = [b.x - a.x, b.y - a.y];
  const edges: Array<[number, number]> = [
    [-dx, a.x - w.left],
    [dx, w.right - a.x],
    [-dy, a.y - w.top],
    [dy, w.bottom - a.y],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return null;
  }
  return [t0, t1];
}

const touches = (points: Point[], w: Window) =>
  Math.max(...points.map((p) => p.x)) >= w.left &&
  Math.min(...points.map((p) => p.x)) <= w.right &&
  Math.max(...points.map((p) => p.y)) >= w.top &&
  Math.min(...points.map((p) => p.y)) <= w.bottom;

const point = (p: Point) => `${p.x} ${p.y}`;

/**
 * The part of `path` inside `window`: the path to draw, the dash offset of its start (the
 * length cut before it), and whether it still reaches the path's end (where the arrow goes).
 * Runs that leave the window and come back are separate subpaths.
 */
export function clipToWindow(path: string, window: Window): { path: string; offset: number; reachesEnd: boolean } {
  let out = "";
  let offset: number | null = null;
  let walked = 0;
  let open = false;
  for (const piece of pieces(path)) {
    if (piece.kind === "L") {
      const length = distance(piece.from, piece.to);
      const part = clipSegment(piece.from, piece.to, window);
      if (part === null) {
        open = false;
      } else {
        const at = (t: number) => ({
          x: piece.from.x + (piece.to.x - piece.from.x) * t,
          y: piece.from.y + (piece.to.y - piece.from.y) * t,
        });
        if (!open || part[0] > 0) {
          out += `M${point(at(part[0]))}`;
          offset ??= walked + length * part[0];
        }
        out += `L${point(at(part[1]))}`;
        open = part[1] === 1;
      }
      walked += length;
    } else {
      const length = (distance(piece.from, piece.ctrl) + distance(piece.ctrl, piece.to) + distance(piece.from, piece.to)) / 2;
      if (touches([piece.from, piece.ctrl, piece.to], window)) {
        if (!open) {
          out += `M${point(piece.from)}`;
          offset ??= walked;
        }
        out += `Q${point(piece.ctrl)} ${point(piece.to)}`;
        open = true;
      } else {
        open = false;
      }
      walked += length;
    }
  }
  return { path: out, offset: offset ?? 0, reachesEnd: open };
}

/** How much larger than it needs to be a window may grow (as the view zooms in) before it is replaced. */
const WINDOW_SLACK = 4;

/**
 * The window a long edge is cut to, as a key `"left top size"`: a square of side `2 × size`
 * flow pixels, `size` a power of two at least the view's larger side. The previous window is
 * kept while it still holds the whole view and is at most `WINDOW_SLACK` times larger than it
 * needs to be; otherwise a new one is centred on the view (aligned to half its size). Each new
 * window redraws every long edge and can change which transitions a large machine hands to
 * React Flow (edgeCulling.ts), so a zoom gesture across a 3× range or a pan across half a
 * window keeps the one it has. As a string, so that a store selector returning it re-renders
 * only when it changes; given the key it returned, the same view gives the same key again.
 */
export function nextWindowKey(
  previous: string,
  transform: readonly [number, number, number],
  width: number,
  height: number,
): string {
  const [x, y, zoom] = transform;
  const view = { left: -x / zoom, top: -y / zoom, right: (width - x) / zoom, bottom: (height - y) / zoom };
  const size = 2 ** Math.ceil(Math.log2(Math.max(width, height, 64) / zoom));
  if (previous !== "") {
    const kept = windowOf(previous);
    const keptSize = (kept.right - kept.left) / 2;
    const holdsView =
      kept.left <= view.left && kept.top <= view.top && kept.right >= view.right && kept.bottom >= view.bottom;
    if (holdsView && keptSize <= size * WINDOW_SLACK) return previous;
  }
  const half = size / 2;
  const centre = { x: (view.left + view.right) / 2, y: (view.top + view.bottom) / 2 };
  const left = Math.floor((centre.x - size) / half) * half;
  const top = Math.floor((centre.y - size) / half) * half;
  return `${left} ${top} ${size}`;
}

/** The window key of the current view (`nextWindowKey`), updated as the view moves. */
export function useViewWindowKey(): string {
  const last = useRef("");
  const select = useCallback((s: ReactFlowState) => {
    last.current = nextWindowKey(last.current, s.transform, s.width, s.height);
    return last.current;
  }, []);
  return useStore(select);
}

/**
 * The window key of the current view, given by the canvas to its edges: one store subscription
 * for the canvas instead of one per edge (each runs at every zoom or pan step).
 */
export const ViewWindow = createContext("");

export function windowOf(key: string): Window {
  const [left, top, size] = key.split(" ").map(Number) as [number, number, number];
  return { left, top, right: left + 2 * size, bottom: top + 2 * size };
}
