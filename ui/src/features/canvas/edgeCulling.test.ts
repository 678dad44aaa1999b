import { describe, expect, it } from "vitest";
import { renderHook } from "@testing-library/react";
import { absoluteBoxes, edgesNear, routeMeets, useEdgesNear } from "./edgeCulling";

const box = (x: number, y: number) => ({ x, y, width: 100, height: 40 });
// A window 1,000 units square at the origin.
const view = { left: 0, top: 0, right: 1000, bottom: 1000 };

describe("edge culling", () => {
  it("places children inside their parents", () => {
    const boxes = absoluteBoxes([
      { id: "p", position: { x: 100, y: 200 }, width: 500, height: 400 },
      { id: "c", parentId: "p", position: { x: 10, y: 20 }, measured: { width: 80, height: 30 } },
    ]);
    expect(boxes.get("c")).toEqual({ x: 110, y: 220, width: 80, height: 30 });
  });

  it("keeps a downward route only where its three segments can be seen", () => {
    // From (5,000, 0) down to (5,000, 8,000): the box spans x 5,000 only, far right of the view.
    expect(routeMeets(box(4950, 0), box(4950, 8000), false, view)).toBe(false);
    // From the view's top-left to far below and right: the first segment runs down through the view.
    expect(routeMeets(box(100, 100), box(9000, 9000), false, view)).toBe(true);
    // From far above-left to far below-right: the box covers the view, but the route runs down at
    // x -2,950, across at y 4,520 and down at x 9,050, all outside it.
    expect(routeMeets(box(-3000, -9000), box(9000, 18000), false, view)).toBe(false);
  });

  it("judges loops and upward routes by their box", () => {
    expect(routeMeets(box(-3000, 3000), box(3000, -3000), false, view)).toBe(true);
    expect(routeMeets(box(-3000, -9000), box(9000, 18000), true, view)).toBe(true);
  });

  it("hands React Flow the edges near the window, the same array while they are the same", () => {
    const nodes = [
      { id: "a", position: { x: 100, y: 100 }, width: 100, height: 40 },
      { id: "b", position: { x: 100, y: 300 }, width: 100, height: 40 },
      { id: "far", position: { x: 20000, y: 100 }, width: 100, height: 40 },
      { id: "farther", position: { x: 20000, y: 900 }, width: 100, height: 40 },
    ];
    const edges = [
      { id: "a-b", source: "a", target: "b" },
      { id: "far-farther", source: "far", target: "farther" },
      { id: "a-unknown", source: "a", target: "unknown" },
    ];
    expect(edgesNear(edges, nodes, view).map((e) => e.id)).toEqual(["a-b", "a-unknown"]);
    const { result, rerender } = renderHook(({ n, area }) => useEdgesNear(edges, n, area), {
      initialProps: { n: nodes, area: "0 0 500" },
    });
    const first = result.current;
    expect(first.map((e) => e.id)).toEqual(["a-b", "a-unknown"]);
    rerender({ n: [...nodes], area: "0 0 500" });
    expect(result.current).toBe(first);
    rerender({ n: nodes, area: "" });
    expect(result.current).toBe(edges);
  });
});
