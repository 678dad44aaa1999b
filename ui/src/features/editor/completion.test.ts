import { describe, expect, it } from "vitest";
import { CompletionContext } from "@codemirror/autocomplete";
import { ensureSyntaxTree } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { json } from "@codemirror/lang-json";
import { yaml } from "@codemirror/lang-yaml";
import { aslCompletions, CONTEXT_FIELDS, JSONATA_FUNCTIONS, STATES_FIELDS } from "./completion";
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
function complete(text: string, format: "json" | "yaml" = "json") {
  const pos = text.indexOf("|");
  const doc = text.replace("|", "");
  const state = EditorState.create({ doc, extensions: [format === "yaml" ? yaml() : json()] });
  ensureSyntaxTree(state, state.doc.length, 5000);
  const source = aslCompletions(() => ({
    vocabulary,
    stateNames: ["Charge", "Done"],
    variables: ["orderId", "total"],
  }));
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

  it("offers JSONata functions, $states and the workflow's variables inside {% %}", () => {
    const text = '{"States": {"A": {"Type": "Pass", "Output": "{% $su| %}"}}}';
    const result = complete(text);
    expect(result?.from).toBe(text.indexOf("$su"));
    for (const label of ["$sum", "$map", "$partition", "$range", "$hash", "$random", "$uuid", "$parse", "$states", "$orderId", "$total"]) {
      expect(result?.labels).toContain(label);
    }
    expect(result?.labels).not.toContain("$eval");
    expect(result?.labels.slice(0, 3)).toEqual(["$orderId", "$total", "$states"]);
    expect(result?.labels.length).toBe(JSONATA_FUNCTIONS.length + 3);
  });

  it("offers the fields of $states after its dot", () => {
    const text = '{"Output": {"x": "{% $merge([$states.input, {\\"y\\": $states.re|}]) %}"}}';
    const result = complete(text);
    expect(result?.labels).toEqual(STATES_FIELDS);
    expect(result?.from).toBe(text.indexOf("re|"));
    expect(STATES_FIELDS).toEqual(["input", "result", "errorOutput", "context"]);
    expect(complete('{"Output": "{% $states.context.Ex| %}"}')?.labels).toEqual(CONTEXT_FIELDS);
  });

  it("completes expressions in YAML too, and nothing once the expression is closed", () => {
    expect(complete('Output: "{% $sta| %}"', "yaml")?.labels).toContain("$states");
    expect(complete('{"Output": "{% $x %} $su|"}')).toBeNull();
    expect(complete('{"Comment": "$su|"}')).toBeNull();
  });
});
