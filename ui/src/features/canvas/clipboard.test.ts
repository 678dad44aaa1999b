import { afterEach, describe, expect, it, vi } from "vitest";
import type { GraphView } from "../../ipc/rpc";
import { byMachine, clipboardText, machineOf, nameOf, parseClipboard, pasteEdit, readCopy, writeCopy } from "./clipboard";

const pass = { Type: "Pass", Next: "B" };

describe("what a copy carries", () => {
  it("is ASL text that reads back as the same states, in order", () => {
    const states = { A: pass, B: { Type: "Succeed" } };
    const text = clipboardText(states);
    expect(JSON.parse(text)).toEqual({ States: states });
    expect(Object.keys(parseClipboard(text) ?? {})).toEqual(["A", "B"]);
  });

  it("accepts a whole machine, named states or one state, and nothing else", () => {
    expect(parseClipboard(JSON.stringify({ StartAt: "A", States: { A: pass } }))).toEqual({ A: pass });
    expect(parseClipboard(JSON.stringify({ A: pass }))).toEqual({ A: pass });
    expect(parseClipboard(JSON.stringify({ Type: "Wait", Seconds: 3 }))).toEqual({ Wait: { Type: "Wait", Seconds: 3 } });
    expect(parseClipboard("hello")).toBeNull();
    expect(parseClipboard("[1, 2]")).toBeNull();
    expect(parseClipboard(JSON.stringify({ A: { Next: "B" } }))).toBeNull();
    expect(parseClipboard("{}")).toBeNull();
  });
});

describe("where a paste goes", () => {
  it("into the selected state's machine, or the top level", () => {
    expect(machineOf("/States/A")).toBe("");
    expect(machineOf("/States/P/Branches/1/States/B")).toBe("/States/P/Branches/1");
    expect(machineOf("/States/M/ItemProcessor/States/X")).toBe("/States/M/ItemProcessor");
    expect(pasteEdit({ A: pass }, "/States/P/Branches/0/States/B")).toEqual({
      kind: "pasteStates",
      machine: "/States/P/Branches/0",
      states: { A: pass },
    });
    expect(pasteEdit({ A: pass }, null)).toMatchObject({ machine: "" });
  });

  it("names come from pointers with their escapes undone", () => {
    expect(nameOf("/States/a~1b~0c")).toBe("a/b~c");
  });

  it("duplicates group the selection by machine in graph order, states only", () => {
    const node = (id: string, kind: "state" | "start" = "state") => ({
      id, name: id, kind, stateType: null, parent: null, branch: null, x: 0, y: 0, width: 1, height: 1, placeholders: [],
    });
    const graph: GraphView = {
      nodes: [node("#start", "start"), node("/States/A"), node("/States/P"), node("/States/P/Branches/0/States/X"), node("/States/B")],
      edges: [],
    };
    const groups = byMachine(["/States/B", "/States/P/Branches/0/States/X", "#start", "/States/A"], graph);
    expect([...groups.entries()]).toEqual([
      ["", ["/States/A", "/States/B"]],
      ["/States/P/Branches/0", ["/States/P/Branches/0/States/X"]],
    ]);
  });
});

describe("the clipboard", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("uses the system clipboard when the WebView allows it", async () => {
    let held = "";
    const clipboard = {
      writeText: vi.fn(async (text: string) => { held = text; }),
      readText: vi.fn(async () => held),
    };
    vi.stubGlobal("navigator", { clipboard });
    await writeCopy({ A: pass });
    expect(JSON.parse(held)).toEqual({ States: { A: pass } });
    held = JSON.stringify({ States: { Z: { Type: "Fail" } } }); // copied in another window
    expect(await readCopy()).toEqual({ Z: { Type: "Fail" } });
    held = "some other text";
    expect(await readCopy(), "something else was copied since").toBeNull();
  });

  it("falls back to the copy kept in the app when the WebView refuses", async () => {
    const refuse = async () => { throw new Error("NotAllowedError"); };
    vi.stubGlobal("navigator", { clipboard: { writeText: refuse, readText: refuse } });
    await writeCopy({ B: { Type: "Succeed" } });
    expect(await readCopy()).toEqual({ B: { Type: "Succeed" } });
  });
});
