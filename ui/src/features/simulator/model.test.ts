import { describe, expect, it } from "vitest";
import { applyFields, changedLines, fieldText, parseField, pipelineFields } from "./model";

describe("the simulator's fields", () => {
  it("offers the pipeline fields a state allows, in the order the data meets them", () => {
    const task = ["Type", "ResultPath", "Parameters", "InputPath", "OutputPath", "ResultSelector", "Resource"];
    expect(pipelineFields("JSONPath", task).map(([n]) => n)).toEqual([
      "InputPath",
      "Parameters",
      "ResultSelector",
      "ResultPath",
      "OutputPath",
    ]);
    expect(pipelineFields("JSONata", ["Type", "Output", "Arguments", "Assign"]).map(([n]) => n)).toEqual([
      "Arguments",
      "Output",
    ]);
  });

  it("edits paths as text and values as JSON, JSONata expressions as they are written", () => {
    expect(fieldText("$.a", "path")).toBe("$.a");
    expect(fieldText({ "id.$": "$.id" }, "json")).toBe('{\n  "id.$": "$.id"\n}');
    expect(fieldText("{% $states.input %}", "json")).toBe("{% $states.input %}");
    expect(fieldText(undefined, "path")).toBe("");
    expect(parseField("  {% 1 + 1 %} ", "json")).toEqual({ value: "{% 1 + 1 %}" });
    expect(parseField("", "json")).toEqual({ value: undefined });
    expect(parseField("{", "json")).toHaveProperty("error");
  });

  it("applies the texts to the state, removing emptied fields, or names the field that does not parse", () => {
    const state = { Type: "Pass", InputPath: "$.a", Parameters: { x: 1 } };
    const kinds = { InputPath: "path", Parameters: "json" } as const;
    expect(applyFields(state, { InputPath: "", Parameters: '{"y": 2}' }, kinds)).toEqual({
      state: { Type: "Pass", Parameters: { y: 2 } },
    });
    expect(applyFields(state, { Parameters: "{y}" }, kinds)).toMatchObject({ field: "Parameters" });
    expect(state.InputPath).toBe("$.a");
  });
});

describe("what a stage changed", () => {
  it("marks the lines that the stage before did not have", () => {
    const before = '{\n  "a": 1,\n  "b": 2\n}';
    const after = '{\n  "a": 1,\n  "b": 3,\n  "c": 4\n}';
    expect(changedLines(before, after)).toEqual([false, false, true, true, false]);
    expect(changedLines(before, before)).toEqual([false, false, false, false]);
    expect(changedLines(null, after).every((c) => !c)).toBe(true);
  });
});
