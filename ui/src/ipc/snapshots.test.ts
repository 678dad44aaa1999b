import { afterEach, describe, expect, it } from "vitest";
import type { EdgeView, ListUpdate, NodeView, SnapshotUpdate, StateRange } from "./generated/bindings";
import { backend, clearMocks } from "../test/backend";
import { rpc } from "./rpc";
import { applySnapshotUpdate, forgetSnapshots } from "./snapshots";

const node = (name: string, stateType = "Pass"): NodeView => ({
  id: `/States/${name}`,
  name,
  kind: "state",
  stateType,
  parent: null,
  branch: null,
  x: 0,
  y: 0,
  width: 220,
  height: 56,
  placeholders: [],
});
const edge = (from: string, to: string): EdgeView => ({
  id: `/States/${from}->next`,
  source: `/States/${from}`,
  target: `/States/${to}`,
  kind: "next",
  index: null,
  label: null,
  back: false,
});
const range = (name: string, line: number): StateRange => ({
  id: `/States/${name}`,
  range: { start: { line, column: 4 }, end: { line: line + 2, column: 5 } },
});
const whole = <T>(items: T[]): ListUpdate<T> => ({ keepStart: 0, middle: items, keepEnd: 0, endLineShift: 0 });
const kept = <T>(keepStart: number, middle: T[], keepEnd: number, endLineShift = 0): ListUpdate<T> => ({
  keepStart,
  middle,
  keepEnd,
  endLineShift,
});

const TEXT = '{\n  "States": {\n    "A": {\n      "Type": "Pass"\n    },\n    "B": {}\n  }\n}';

function update(fields: Partial<SnapshotUpdate>): SnapshotUpdate {
  return {
    seq: 1,
    base: null,
    documentId: 7,
    path: null,
    name: "flow.asl.json",
    revision: 1,
    canUndo: false,
    canRedo: false,
    focus: null,
    format: "json",
    dirty: false,
    text: { from: 0, to: 0, insert: TEXT },
    diagnostics: [],
    nodes: whole([node("A"), node("B")]),
    edges: whole([edge("A", "B")]),
    stateRanges: whole([range("A", 2), range("B", 5)]),
    ...fields,
  };
}

afterEach(() => {
  forgetSnapshots();
  clearMocks();
});

describe("snapshot updates", () => {
  it("rebuild the snapshot from the one held, keeping every unchanged object", () => {
    const first = applySnapshotUpdate(update({}))!;
    expect(first.text).toBe(TEXT);
    expect(first.graph.nodes.map((n) => n.name)).toEqual(["A", "B"]);

    // "Pass" → "Wait" plus one added line inside A: B moves down a line.
    const from = TEXT.indexOf("Pass");
    const second = applySnapshotUpdate(
      update({
        seq: 2,
        base: 1,
        revision: 2,
        text: { from, to: from + 4, insert: 'Wait",\n      "Seconds": 1' },
        diagnostics: null,
        nodes: kept(0, [node("A", "Wait")], 1),
        edges: kept(1, [], 0),
        stateRanges: kept(0, [range("A", 2)], 1, 1),
      }),
    )!;
    expect(second.text).toBe(TEXT.replace("Pass", 'Wait",\n      "Seconds": 1'));
    expect(second.graph.nodes[0]!.stateType).toBe("Wait");
    expect(second.graph.nodes[1]).toBe(first.graph.nodes[1]);
    expect(second.graph.edges).toBe(first.graph.edges); // kept whole: the canvas derives nothing
    expect(second.stateRanges).not.toBe(first.stateRanges); // B's range moved
    expect(second.diagnostics).toBe(first.diagnostics);
    expect(second.stateRanges[1]).toEqual(range("B", 6));
  });

  it("keep the graph object itself when neither nodes nor edges changed", () => {
    const first = applySnapshotUpdate(update({}))!;
    const moved = applySnapshotUpdate(
      update({ seq: 2, base: 1, text: { from: 0, to: 0, insert: "" }, nodes: kept(2, [], 0), edges: kept(1, [], 0), stateRanges: kept(2, [], 0) }),
    )!;
    expect(moved.graph).toBe(first.graph);
    expect(moved.text).toBe(TEXT);
  });

  it("are refused when they do not follow the snapshot held", () => {
    applySnapshotUpdate(update({}));
    expect(applySnapshotUpdate(update({ seq: 3, base: 2 }))).toBeNull();
    expect(applySnapshotUpdate(update({ seq: 3, base: 1, documentId: 8 }))).toBeNull();
  });

  it("that arrive out of order make rpc ask for the whole snapshot", async () => {
    const asked: string[] = [];
    backend((command) => {
      asked.push(command);
      if (command === "apply_edit") return update({ seq: 5, base: 4, revision: 3 });
      if (command === "document_snapshot") return update({ seq: 6, revision: 3, text: { from: 0, to: 0, insert: "{}" } });
      throw new Error(`unexpected ${command}`);
    });
    const snapshot = await rpc("apply_edit", { documentId: 7, edit: { kind: "setStartAt", machine: "", name: "B" } });
    expect(asked).toEqual(["apply_edit", "document_snapshot"]);
    expect(snapshot.text).toBe("{}");
    expect(snapshot.revision).toBe(3);
  });
});
