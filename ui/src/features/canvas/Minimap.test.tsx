import { describe, expect, it } from "vitest";
import type { ReactFlowState } from "@xyflow/react";
import { minimapBox, minimapShapes, viewRect } from "./Minimap";

type Lookup = ReactFlowState["nodeLookup"];

function lookup(nodes: Array<{ id: string; type?: string; x: number; y: number; w?: number; h?: number; hidden?: boolean }>): Lookup {
  return new Map(
    nodes.map((n) => [
      n.id,
      {
        id: n.id,
        type: n.type,
        hidden: n.hidden,
        width: n.w,
        height: n.h,
        measured: {},
        internals: { positionAbsolute: { x: n.x, y: n.y } },
      },
    ]),
  ) as unknown as Lookup;
}

describe("minimap", () => {
  it("draws every sized node as one rectangle, containers apart, and bounds them", () => {
    const shapes = minimapShapes(
      lookup([
        { id: "p", type: "container", x: 0, y: 0, w: 300, h: 200 },
        { id: "a", type: "state", x: 10, y: 20, w: 100, h: 40 },
        { id: "b", type: "state", x: 400, y: 500, w: 100, h: 40 },
        { id: "hidden", type: "state", x: 9000, y: 9000, w: 100, h: 40, hidden: true },
        { id: "unmeasured", type: "state", x: -9000, y: 0 },
      ]),
    );
    expect(shapes.containers).toBe("M0 0h300v200h-300z");
    expect(shapes.states).toBe("M10 20h100v40h-100zM400 500h100v40h-100z");
    expect(shapes.count).toBe(3);
    expect(shapes.bounds).toEqual({ x: 0, y: 0, width: 500, height: 540 });
    expect(minimapShapes(lookup([])).bounds).toBeNull();
  });

  it("keeps its last picture while no state moved, resized or changed kind", () => {
    const nodes = [
      { id: "p", type: "container", x: 0, y: 0, w: 300, h: 200 },
      { id: "a", type: "state", x: 10, y: 20, w: 100, h: 40 },
    ];
    const first = minimapShapes(lookup(nodes));
    expect(minimapShapes(lookup(nodes), first)).toBe(first);
    const moved = minimapShapes(lookup([nodes[0]!, { ...nodes[1]!, x: 11 }]), first);
    expect(moved).not.toBe(first);
    expect(moved.states).toBe("M11 20h100v40h-100z");
    const kind = minimapShapes(lookup([nodes[0]!, { ...nodes[1]!, type: "container" }]), first);
    expect(kind.containers).toBe("M0 0h300v200h-300zM10 20h100v40h-100z");
    expect(minimapShapes(lookup(nodes.slice(0, 1)), first).count).toBe(1);
  });

  it("frames the states and the view together in its aspect ratio, with a margin", () => {
    const view = viewRect([-100, -50, 0.5], 400, 300);
    expect(view).toEqual({ x: 200, y: 100, width: 800, height: 600 });
    // States 0..2000 wide, 0..300 tall; the view adds nothing: the width decides the scale.
    const box = minimapBox({ x: 0, y: 0, width: 2000, height: 300 }, view);
    expect(box.scale).toBe(10);
    expect(box.width).toBe(2100);
    expect(box.height).toBe(1600);
    // Centred: the content (states and view) spans x 0..2000 and y 0..700 (the view reaches 700);
    // the box is 2000 × 1500 flow units plus a 50-unit margin all round.
    expect(box.x).toBe(-50);
    expect(box.y).toBe(-450);
    // A view beyond the states widens the box to take it in.
    const far = minimapBox({ x: 0, y: 0, width: 2000, height: 300 }, { x: 4000, y: 0, width: 800, height: 600 });
    expect(far.x).toBeLessThanOrEqual(0);
    expect(far.x + far.width).toBeGreaterThanOrEqual(4800);
  });
});
