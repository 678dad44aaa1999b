// The inspector's form logic, pure and unit-tested: which diagnostics belong to a field, how a
// field's text becomes a JSON value, how Choice rules and retrier lists are read and rebuilt.
// Nothing here decides what is valid: the validator's diagnostics and field tables (from Rust)
// do; the form only turns what the user typed into values for `setField`.
import type { DiagnosticView } from "../../ipc/rpc";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Appends one reference token to a JSON Pointer (escaping `~` and `/`). */
export function child(pointer: string, token: string | number): string {
  const escaped = String(token).replace(/~/g, "~0").replace(/\//g, "~1");
  return `${pointer}/${escaped}`;
}

/** The diagnostics located at `pointer` or inside it. */
export function diagnosticsAt(diagnostics: DiagnosticView[], pointer: string): DiagnosticView[] {
  return diagnostics.filter((d) => d.path === pointer || d.path.startsWith(`${pointer}/`));
}

/** The diagnostics of the state itself: not located at or inside any of `fields`. */
export function diagnosticsElsewhere(
  diagnostics: DiagnosticView[],
  state: string,
  fields: string[],
): DiagnosticView[] {
  const shown = fields.map((f) => child(state, f));
  return diagnostics.filter((d) => !shown.some((p) => d.path === p || d.path.startsWith(`${p}/`)));
}

export type Parsed = { ok: true; value: Json | undefined } | { ok: false; error: string };

/** A whole JSONata expression, `{% … %}`: a JSON string a JSON editor shows without quotes. */
const EXPRESSION = /^\{%[\s\S]*%\}$/;

/**
 * The text of a JSON editor: empty removes the field, JSON sets it, a bare `{% … %}` is that
 * JSONata expression (a string), anything else is an error.
 */
export function parseJson(text: string): Parsed {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, value: undefined };
  if (EXPRESSION.test(trimmed)) return { ok: true, value: trimmed };
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** How a JSON editor shows a value: pretty, or empty when the field is absent. */
export function formatJson(value: unknown): string {
  if (typeof value === "string" && EXPRESSION.test(value)) return value;
  return value === undefined ? "" : JSON.stringify(value, null, 2);
}

/**
 * A scalar field's text as its value: empty removes it, a number is a number, anything else a
 * string (a JSONata `{% … %}` expression, or a wrong value the validator will point at).
 */
export function scalarValue(text: string): Json | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(trimmed)) return Number(trimmed);
  return text;
}

/** A path field's text (InputPath, ResultPath, …): empty removes it, `null` is JSON null. */
export function pathValue(text: string): Json | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (trimmed === "null") return null;
  return trimmed;
}

/** How a scalar or path field shows its value. */
export function scalarText(value: unknown): string {
  if (value === undefined) return "";
  if (value === null) return "null";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** `ErrorEquals` typed as text: names separated by commas or spaces. */
export function parseErrorNames(text: string): string[] {
  return text
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Moves the item at `from` to `to` (a new array). */
export function move<T>(items: T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length || from === to) return items;
  const out = items.slice();
  out.splice(to, 0, ...out.splice(from, 1));
  return out;
}

/** The array without the item at `index`. */
export function without<T>(items: T[], index: number): T[] {
  return items.filter((_, i) => i !== index);
}

/** The object with key `from` renamed to `to` at the same place, holding `value`. */
export function renameKey(object: JsonObject, from: string, to: string, value: Json): JsonObject {
  const out: JsonObject = {};
  let placed = false;
  for (const [key, v] of Object.entries(object)) {
    if (key === from) {
      out[to] = value;
      placed = true;
    } else if (key !== to) {
      out[key] = v;
    }
  }
  if (!placed) out[to] = value;
  return out;
}

// ---- Choice rules ----------------------------------------------------------------------------

/** The JSONPath comparison operators and type tests among the rule fields Rust names. */
export function choiceOperators(ruleFields: string[]): string[] {
  const operators = ruleFields.filter((f) => /^(String|Numeric|Boolean|Timestamp)[A-Z]\w*$|^Is[A-Z]\w*$/.test(f));
  return operators.length > 0 ? operators : FALLBACK_OPERATORS;
}

/** Used until the vocabulary has arrived. */
const FALLBACK_OPERATORS = [
  "StringEquals",
  "NumericEquals",
  "NumericLessThan",
  "NumericGreaterThan",
  "BooleanEquals",
  "IsPresent",
  "IsNull",
];

/** What kind of operand an operator takes. */
export function operandKind(operator: string): "string" | "number" | "boolean" | "path" {
  if (operator.endsWith("Path")) return "path";
  if (operator.startsWith("Is") || operator.startsWith("Boolean")) return "boolean";
  if (operator.startsWith("Numeric")) return "number";
  return "string";
}

/** The operand typed for `operator`, as its JSON value. */
export function operandValue(operator: string, text: string): Json {
  switch (operandKind(operator)) {
    case "boolean":
      return text.trim() !== "false";
    case "number": {
      const number = Number(text);
      return text.trim() !== "" && Number.isFinite(number) ? number : text;
    }
    default:
      return text;
  }
}

export type RuleForm =
  | { kind: "comparison"; variable: string; operator: string; operand: Json }
  | { kind: "condition"; condition: Json }
  | { kind: "other" };

/** A Choice rule read as a form: one comparison, a JSONata Condition, or anything else (And, Or, Not). */
export function readRule(rule: unknown, operators: string[]): RuleForm {
  if (typeof rule !== "object" || rule === null || Array.isArray(rule)) return { kind: "other" };
  const object = rule as JsonObject;
  if ("Condition" in object) return { kind: "condition", condition: object.Condition ?? null };
  const keys = Object.keys(object).filter((k) => k !== "Next" && k !== "Assign" && k !== "Output" && k !== "Comment");
  const operator = keys.find((k) => operators.includes(k) || /^(String|Numeric|Boolean|Timestamp|Is)[A-Z]/.test(k));
  if (keys.length === 2 && typeof object.Variable === "string" && operator !== undefined) {
    return { kind: "comparison", variable: object.Variable, operator, operand: object[operator] ?? null };
  }
  return { kind: "other" };
}

/** The rule with its comparison replaced, keeping `Next`, `Assign`, `Comment` and their order. */
export function writeComparison(rule: JsonObject, variable: string, operator: string, operand: Json): JsonObject {
  const out: JsonObject = { Variable: variable, [operator]: operand };
  for (const [key, value] of Object.entries(rule)) {
    if (key === "Next" || key === "Assign" || key === "Output" || key === "Comment") out[key] = value;
  }
  return out;
}

/** A new rule for a state of `language`, going to `next`. */
export function newRule(language: string, next: string | undefined): JsonObject {
  const rule: JsonObject =
    language === "JSONata"
      ? { Condition: "{% $states.input.value = true %}" }
      : { Variable: "$.value", BooleanEquals: true };
  if (next !== undefined) rule.Next = next;
  return rule;
}

/** The operand a rule gets when its operator changes to `operator`, from the old one. */
export function convertOperand(operator: string, operand: Json): Json {
  const kind = operandKind(operator);
  if (kind === "boolean") return typeof operand === "boolean" ? operand : true;
  if (kind === "number") return typeof operand === "number" ? operand : 0;
  if (kind === "path") return typeof operand === "string" && operand.startsWith("$") ? operand : "$.other";
  return typeof operand === "string" ? operand : "";
}

// ---- Wait ------------------------------------------------------------------------------------

export const WAIT_FIELDS = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"] as const;

/** The one Wait field the state uses (the first present), or Seconds. */
export function waitField(value: JsonObject): (typeof WAIT_FIELDS)[number] {
  return WAIT_FIELDS.find((f) => f in value) ?? "Seconds";
}

/** A starting value for a Wait field the user switches to. */
export function waitDefault(field: string, language: string): Json {
  switch (field) {
    case "Seconds":
      return language === "JSONata" ? "{% 10 %}" : 10;
    case "Timestamp":
      return language === "JSONata" ? "{% $now() %}" : "2026-01-01T00:00:00Z";
    case "SecondsPath":
      return "$.seconds";
    default:
      return "$.timestamp";
  }
}

// ---- Retry and Catch -------------------------------------------------------------------------

export const RETRIER_NUMBERS = ["IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds"] as const;

export function newRetrier(): JsonObject {
  return { ErrorEquals: ["States.ALL"], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 };
}

export function newCatcher(next: string | undefined, language: string): JsonObject {
  const catcher: JsonObject = { ErrorEquals: ["States.ALL"] };
  if (language !== "JSONata") catcher.ResultPath = "$.error";
  if (next !== undefined) catcher.Next = next;
  return catcher;
}

/** An array field's items, or none when it is absent or not an array. */
export function itemsOf(value: unknown): JsonObject[] {
  return Array.isArray(value) ? (value as JsonObject[]) : [];
}

/** The fields the data-flow section shows for a state, in the order data goes through them. */
export const DATA_FIELDS = [
  "InputPath",
  "Parameters",
  "Arguments",
  "Result",
  "ResultSelector",
  "ResultPath",
  "OutputPath",
  "Output",
  "Assign",
] as const;

/** Data fields whose value is a path (a text input), not a JSON value. */
export const PATH_FIELDS = new Set(["InputPath", "ResultPath", "OutputPath", "ItemsPath"]);

/**
 * The `${Name}` definition substitutions in a field's text (SAM/CloudFormation fill them in at
 * deploy time), the same reading as Rust's `stepwise_asl::placeholders_in`: `${!Literal}`, an
 * empty or unclosed `${` are not placeholders.
 */
export function placeholdersIn(value: unknown): string[] {
  if (typeof value !== "string") return [];
  const names: string[] = [];
  for (const match of value.matchAll(/\$\{([^}]*)\}/g)) {
    const name = match[1] ?? "";
    if (name !== "" && !name.startsWith("!") && !/[\s{"]/.test(name)) names.push(name);
  }
  return names;
}
