import { describe, expect, it } from "vitest";
import { CompletionContext } from "@codemirror/autocomplete";
import { ensureSyntaxTree } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { json } from "@codemirror/lang-json";
import { aslCompletions } from "./completion";
import type { Vocabulary } from "../../ipc/rpc";

const vocabulary: Vocabulary = {
  stateTypes: ["Pass", "Task"],
  stateFields: [
    { stateType: "Task", fields: ["Type", "Resource", "TimeoutSeconds", "Next"] },
    { stateType: "Pass", fields: ["Type", "Result", "Next"] },
  ],
  ruleFields: ["ErrorEquals", "Variable"],
  machineFields: ["StartAt", "States"],
};

/** Completions at the `|` in `text`. */
function complete(text: string) {
  const pos = text.indexOf("|");
  const doc = text.replace("|", "");
  const state = EditorState.create({ doc, extensions: [json()] });
  ensureSyntaxTree(state, state.doc.length, 5000);
  const source = aslCompletions(() => ({ vocabulary, stateNames: ["Charge", "Done"] }));
  const result = source(new CompletionContext(state, pos, true));
  return result === null ? null : { from: result.from, labels: result.options.map((o) => o.label) };
}

describe("aslCompletions", () => {
  it("offers the fields of the enclosing state's type where a key is typed", () => {
    const result = complete('{"States": {"A": {"Type": "Task", "Res|": 1}}}');
    expect(result?.labels).toEqual(["Type", "Resource", "TimeoutSeconds", "Next"]);
  });

  it("offers state names in Next, Default and StartAt, and types in Type", () => {
    expect(complete('{"StartAt": "Ch|"}')?.labels).toEqual(["Charge", "Done"]);
    expect(complete('{"States": {"A": {"Type": "Pass", "Next": "|"}}}')?.labels).toEqual(["Charge", "Done"]);
    expect(complete('{"States": {"A": {"Type": "Ta|"}}}')?.labels).toEqual(["Pass", "Task"]);
  });

  it("offers nothing in other values", () => {
    expect(complete('{"Comment": "hel|lo"}')).toBeNull();
  });
});
