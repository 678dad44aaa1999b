import { describe, expect, it } from "vitest";
import type { GraphView } from "../../ipc/rpc";
import { keepUnchanged, toFlowEdges, toFlowNodes } from "./toFlow";

const graph: GraphView = {
  nodes: [
    { id: "#start", name: "Start", kind: "start", stateType: null, parent: null, branch: null, x: 86, y: 0, width: 28, height: 28, placeholders: [] },
    { id: "/States/P", name: "P", kind: "state", stateType: "Parallel", parent: null, branch: null, x: 0, y: 80, width: 240, height: 200, placeholders: [] },
    { id: "/States/P/Branches/0/States/A", name: "A", kind: "state", stateType: "Pass", parent: "/States/P", branch: 0, x: 20, y: 44, width: 200, height: 56, placeholders: ["ProcessFunctionArn"] },
  ],
  edges: [
    { id: "#start->start", source: "#start", target: "/States/P", kind: "start", index: null, label: null, back: false },
    { id: "/States/P->catch/0", source: "/States/P", target: "/States/P", kind: "catch", index: 0, label: "States.ALL", back: false },
  ],
};

describe("toFlowNodes", () => {
  it("places nodes where Rust laid them out, children relative to their container", () => {
    const nodes = toFlowNodes(graph);
    expect(nodes.map((n) => [n.id, n.type, n.position])).toEqual([
      ["#start", "marker", { x: 86, y: 0 }],
      ["/States/P", "container", { x: 0, y: 80 }],
      ["/States/P/Branches/0/States/A", "state", { x: 20, y: 44 }],
    ]);
    expect(nodes[2]?.parentId).toBe("/States/P");
  });

  it("carries a state's ${Name} placeholders to the node it draws", () => {
    const data = Object.fromEntries(toFlowNodes(graph).map((n) => [n.id, n.data]));
    expect(data["/States/P/Branches/0/States/A"]).toMatchObject({ placeholders: ["ProcessFunctionArn"] });
  });

  it("counts each diagnostic on the innermost state it points into", () => {
    const nodes = toFlowNodes(graph, [
      { severity: "error", code: "SW1", message: "m", path: "/States/P/Branches/0/States/A/Next", range: { start: { line: 0, column: 0 }, end: { line: 0, column: 1 } } },
      { severity: "warning", code: "SW2", message: "m", path: "/States/P", range: { start: { line: 0, column: 0 }, end: { line: 0, column: 1 } } },
    ]);
    const data = Object.fromEntries(nodes.map((n) => [n.id, n.data]));
    expect(data["/States/P/Branches/0/States/A"]).toMatchObject({ errors: 1, warnings: 0 });
    expect(data["/States/P"]).toMatchObject({ errors: 0, warnings: 1 });
  });
});

describe("toFlowEdges", () => {
  it("draws catches dashed with their error names", () => {
    const edges = toFlowEdges(graph);
    const edge = edges.find((e) => e.id === "/States/P->catch/0");
    expect(edge?.label).toBe("Catch: States.ALL");
    expect(edge?.style).toEqual({ strokeDasharray: "6 4" });
    expect(edges[0]?.label).toBeUndefined();
  });

  it("stacks the labels of transitions that share their two ends and routes loops on the side", () => {
    const pair: GraphView = {
      nodes: [],
      edges: [
        { id: "c->choice/0", source: "c", target: "y", kind: "choice", index: 0, label: "$.ok == true", back: false },
        { id: "c->default", source: "c", target: "y", kind: "default", index: null, label: null, back: false },
        { id: "y->next", source: "y", target: "c", kind: "next", index: null, label: null, back: true },
      ],
    };
    const edges = toFlowEdges(pair);
    expect(edges.map((e) => e.data?.stack)).toEqual([-1, 0, 0]);
    expect(edges[2]).toMatchObject({ sourceHandle: "loop-out", targetHandle: "loop-in" });
    expect(edges[0]?.sourceHandle).toBeUndefined();
  });
});

describe("run status on the canvas", () => {
  it("marks each state by how it fared, 'none' for states that did not run, nothing outside a run", () => {
    const withRun = toFlowNodes(graph, [], new Map([["A", "caught"]]));
    const data = Object.fromEntries(withRun.map((n) => [n.id, n.data]));
    expect(data["/States/P/Branches/0/States/A"]).toMatchObject({ runStatus: "caught" });
    expect(data["/States/P"]).toMatchObject({ runStatus: "none" });
    const noRun = toFlowNodes(graph);
    expect(noRun.find((n) => n.id === "/States/P")?.data).toMatchObject({ runStatus: null });
  });
});

describe("flow nodes and edges of an update", () => {
  it("are the objects built before for the same node or edge, unless what they show changed", () => {
    const first = toFlowNodes(graph, [], null, null);
    const again = toFlowNodes({ ...graph, nodes: [...graph.nodes] }, [], null, null);
    expect(again.every((node, i) => node === first[i])).toBe(true);
    const selected = toFlowNodes(graph, [], null, "/States/P");
    expect(selected[1]).not.toBe(first[1]);
    expect(selected[1]?.selected).toBe(true);
    expect(selected[2]).toBe(first[2]);
    const changed = { ...graph.nodes[2]!, stateType: "Wait" };
    const edited = toFlowNodes({ ...graph, nodes: [graph.nodes[0]!, graph.nodes[1]!, changed] }, [], null, null);
    expect(edited[0]).toBe(first[0]);
    expect(edited[2]).not.toBe(first[2]);
    expect(toFlowEdges(graph)[0]).toBe(toFlowEdges({ ...graph })[0]);
  });
});

describe("keepUnchanged", () => {
  it("keeps the objects of unchanged items and the fields React Flow added to them", () => {
    const previous = [
      { id: "a", position: { x: 0, y: 0 }, data: { name: "A" }, measured: { width: 10 } },
      { id: "b", position: { x: 0, y: 9 }, data: { name: "B" }, measured: { width: 10 } },
    ];
    const next = [
      { id: "a", position: { x: 0, y: 0 }, data: { name: "A" } },
      { id: "b", position: { x: 0, y: 9 }, data: { name: "B2" } },
      { id: "c", position: { x: 5, y: 5 }, data: { name: "C" } },
    ];
    const out = keepUnchanged<{ id: string }>(previous, next);
    expect(out[0]).toBe(previous[0]);
    expect(out[1]).toBe(next[1]);
    expect(out[2]).toBe(next[2]);
  });

  it("keeps React Flow's measurement of a changed node whose size did not change", () => {
    const previous = [
      { id: "a", width: 220, height: 56, data: { type: "Pass" }, measured: { width: 220, height: 56 } },
      { id: "b", width: 220, height: 56, data: { type: "Pass" }, measured: { width: 220, height: 56 } },
    ];
    const next = [
      { id: "a", width: 220, height: 56, data: { type: "Wait" } },
      { id: "b", width: 240, height: 80, data: { type: "Parallel" } },
    ];
    const [a, b] = keepUnchanged<{ id: string }>(previous, next);
    expect(a).toEqual({ ...next[0], measured: { width: 220, height: 56 } });
    // A new size is measured afresh.
    expect(b).toBe(next[1]);
  });

  it("gives back the same array when nothing changed", () => {
    const previous = [{ id: "a", data: { n: 1 } }];
    expect(keepUnchanged(previous, [{ id: "a", data: { n: 1 } }])).toBe(previous);
  });
});

describe("labels at a shared spot", () => {
  it("shows each distinct text once above the state they lead to, stacked", () => {
    const handler: GraphView = {
      nodes: [],
      edges: [
        { id: "a->catch/0", source: "a", target: "h", kind: "catch", index: 0, label: "States.ALL", back: false },
        { id: "b->catch/0", source: "b", target: "h", kind: "catch", index: 0, label: "States.ALL", back: false },
        { id: "c->catch/0", source: "c", target: "h", kind: "catch", index: 0, label: "States.Timeout", back: false },
        { id: "d->next", source: "d", target: "h", kind: "next", index: null, label: null, back: false },
      ],
    };
    const edges = toFlowEdges(handler);
    expect(edges.map((e) => e.label ?? null)).toEqual(["Catch: States.ALL", null, "Catch: States.Timeout", null]);
    expect(edges.map((e) => e.data?.stack)).toEqual([-1, 0, 0, 0]);
  });
});
