import { Position } from "@xyflow/react";
import { describe, expect, it } from "vitest";
import { nodeHandles } from "./handles";
import { toFlowNodes } from "./toFlow";

// The rule the window test `handles_given_to_react_flow_match_the_drawn_ones` checks against
// the drawn handles: a 6 px box centred on its side, inside a state's 1 px border.
describe("nodeHandles", () => {
  it("places a state's four handles where the stylesheet draws them, sources and targets in render order", () => {
    expect(nodeHandles("state", 200, 62)).toEqual([
      { id: null, type: "target", position: Position.Top, x: 97, y: -2, width: 6, height: 6 },
      { id: null, type: "source", position: Position.Bottom, x: 97, y: 58, width: 6, height: 6 },
      { id: "loop-out", type: "source", position: Position.Right, x: 196, y: 1 + 0.65 * 60 - 3, width: 6, height: 6 },
      { id: "loop-in", type: "target", position: Position.Right, x: 196, y: 1 + 0.35 * 60 - 3, width: 6, height: 6 },
    ]);
  });

  it("gives a marker one handle on its own box: the start's below, the end's above", () => {
    expect(nodeHandles("start", 30, 30)).toEqual([
      { id: null, type: "source", position: Position.Bottom, x: 12, y: 27, width: 6, height: 6 },
    ]);
    expect(nodeHandles("end", 30, 30)).toEqual([
      { id: null, type: "target", position: Position.Top, x: 12, y: -3, width: 6, height: 6 },
    ]);
  });

  it("is given with every node the canvas hands React Flow", () => {
    const graph = {
      nodes: [
        { id: "start", kind: "start", name: "", stateType: null, x: 0, y: 0, width: 30, height: 30, parent: null, placeholders: [] },
        { id: "/States/A", kind: "state", name: "A", stateType: "Pass", x: 0, y: 60, width: 180, height: 56, parent: null, placeholders: [] },
      ],
      edges: [],
    };
    const nodes = toFlowNodes(graph as never, [], null, null);
    expect(nodes.map((node) => node.handles?.length)).toEqual([1, 4]);
    expect(nodes[1]!.handles).toEqual(nodeHandles("state", 180, 56));
  });
});
