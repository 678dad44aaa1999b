import { describe, expect, it } from "vitest";
import type { DiagnosticView } from "../../ipc/rpc";
import {
  child,
  placeholdersIn,
  choiceOperators,
  convertOperand,
  diagnosticsAt,
  formatJson,
  move,
  operandValue,
  parseErrorNames,
  parseJson,
  pathValue,
  readRule,
  renameKey,
  scalarValue,
  waitField,
  without,
  writeComparison,
} from "./model";

const at = (path: string): DiagnosticView => ({
  severity: "error",
  code: "SW101",
  message: "wrong",
  path,
  range: { start: { line: 0, column: 0 }, end: { line: 0, column: 1 } },
});

describe("inspector model", () => {
  it("escapes pointer tokens", () => {
    expect(child("/States/A", "a/b~c")).toBe("/States/A/a~1b~0c");
    expect(child("/States/A/Retry", 0)).toBe("/States/A/Retry/0");
  });

  it("gives a field the diagnostics at it and inside it, not those of a longer sibling name", () => {
    const diagnostics = [at("/States/A/Retry"), at("/States/A/Retry/0/MaxAttempts"), at("/States/A/RetryX"), at("/States/A")];
    expect(diagnosticsAt(diagnostics, "/States/A/Retry").map((d) => d.path)).toEqual([
      "/States/A/Retry",
      "/States/A/Retry/0/MaxAttempts",
    ]);
  });

  it("reads JSON drafts: empty removes, JSON applies, anything else is an error", () => {
    expect(parseJson("  ")).toEqual({ ok: true, value: undefined });
    expect(parseJson('{"a": [1, null]}')).toEqual({ ok: true, value: { a: [1, null] } });
    expect(parseJson("null")).toEqual({ ok: true, value: null });
    const broken = parseJson('{"a": ');
    expect(broken.ok).toBe(false);
    // A whole JSONata expression is shown and typed without the quotes of its JSON string.
    expect(parseJson(" {% $states.input.items %}\n")).toEqual({ ok: true, value: "{% $states.input.items %}" });
    expect(formatJson("{% $states.input %}")).toBe("{% $states.input %}");
    expect(formatJson("plain")).toBe('"plain"');
    expect(formatJson({ a: "{% 1 %}" })).toBe('{\n  "a": "{% 1 %}"\n}');
  });

  it("reads scalar and path fields", () => {
    expect(scalarValue("30")).toBe(30);
    expect(scalarValue("1.5")).toBe(1.5);
    expect(scalarValue("")).toBeUndefined();
    expect(scalarValue("{% $states.input.t %}")).toBe("{% $states.input.t %}");
    expect(pathValue(" $.a ")).toBe("$.a");
    expect(pathValue("null")).toBeNull();
    expect(pathValue("")).toBeUndefined();
    expect(parseErrorNames("States.Timeout, States.TaskFailed  Custom")).toEqual([
      "States.Timeout",
      "States.TaskFailed",
      "Custom",
    ]);
  });

  it("moves, removes and renames without touching the input", () => {
    const items = ["a", "b", "c"];
    expect(move(items, 0, 2)).toEqual(["b", "c", "a"]);
    expect(move(items, 0, -1)).toBe(items);
    expect(without(items, 1)).toEqual(["a", "c"]);
    expect(items).toEqual(["a", "b", "c"]);
    const wait = { Type: "Wait", Seconds: 3, Next: "B" };
    expect(Object.entries(renameKey(wait, "Seconds", "TimestampPath", "$.t"))).toEqual([
      ["Type", "Wait"],
      ["TimestampPath", "$.t"],
      ["Next", "B"],
    ]);
    expect(waitField({ Type: "Wait", SecondsPath: "$.s" })).toBe("SecondsPath");
    expect(waitField({ Type: "Wait" })).toBe("Seconds");
  });

  it("reads Choice rules as a comparison, a JSONata condition or something else", () => {
    const operators = choiceOperators(["And", "BooleanEquals", "IsNull", "Next", "NumericEquals", "NumericEqualsPath", "Variable"]);
    expect(operators).toEqual(["BooleanEquals", "IsNull", "NumericEquals", "NumericEqualsPath"]);
    expect(readRule({ Variable: "$.n", NumericEquals: 1, Next: "B" }, operators)).toEqual({
      kind: "comparison",
      variable: "$.n",
      operator: "NumericEquals",
      operand: 1,
    });
    expect(readRule({ Condition: "{% $x %}", Next: "B" }, operators)).toEqual({ kind: "condition", condition: "{% $x %}" });
    expect(readRule({ And: [], Next: "B" }, operators)).toEqual({ kind: "other" });
    const rule = { Variable: "$.n", NumericEquals: 1, Next: "B", Assign: { x: 1 } };
    expect(writeComparison(rule, "$.m", "IsNull", true)).toEqual({ Variable: "$.m", IsNull: true, Next: "B", Assign: { x: 1 } });
  });

  it("types a rule's operand by its operator", () => {
    expect(operandValue("NumericEquals", "42")).toBe(42);
    expect(operandValue("NumericEquals", "x")).toBe("x");
    expect(operandValue("StringEquals", "42")).toBe("42");
    expect(operandValue("IsPresent", "false")).toBe(false);
    expect(convertOperand("NumericLessThan", "a")).toBe(0);
    expect(convertOperand("StringEqualsPath", "a")).toBe("$.other");
    expect(convertOperand("BooleanEquals", false)).toBe(false);
  });
});

describe("placeholdersIn", () => {
  it("reads ${Name} substitutions like Rust does", () => {
    expect(placeholdersIn("${ProcessFunctionArn}")).toEqual(["ProcessFunctionArn"]);
    expect(placeholdersIn("arn:${AWS::Partition}:lambda:${AWS::Region}:1:function:${Fn.Arn}")).toEqual([
      "AWS::Partition",
      "AWS::Region",
      "Fn.Arn",
    ]);
    expect(placeholdersIn("${!Literal} ${} ${open")).toEqual([]);
    expect(placeholdersIn(42)).toEqual([]);
  });
});
