// Completion in the code view: field names where a key is typed (the fields of the enclosing
// state's Type, from Rust's tables), state names in Next/Default/StartAt, the state types in
// Type, and inside a JSONata `{% … %}` expression the built-in functions, `$states` and its
// fields, and the workflow's variables. Pure over the editor state, so it is tested without a
// browser.
import type { CompletionContext, CompletionResult } from "@codemirror/autocomplete";
import { syntaxTree } from "@codemirror/language";
import type { SyntaxNode } from "@lezer/common";
import type { EditorState } from "@codemirror/state";
import type { Vocabulary } from "../../ipc/rpc";

export type CompletionData = {
  vocabulary: Vocabulary | null;
  stateNames: string[];
  /** The workflow variables the document's Assign fields set (from Rust), without `$`. */
  variables?: string[];
};

/**
 * JSONata's built-in functions (JSONata 2.0, the version Step Functions runs, without `$eval`,
 * which Step Functions leaves out) and the functions Step Functions adds.
 */
export const JSONATA_FUNCTIONS = [
  // String
  "$string", "$length", "$substring", "$substringBefore", "$substringAfter", "$uppercase",
  "$lowercase", "$trim", "$pad", "$contains", "$split", "$join", "$match", "$replace",
  "$base64encode", "$base64decode", "$encodeUrlComponent", "$encodeUrl", "$decodeUrlComponent",
  "$decodeUrl",
  // Numeric and aggregation
  "$number", "$abs", "$floor", "$ceil", "$round", "$power", "$sqrt", "$random", "$formatNumber",
  "$formatBase", "$formatInteger", "$parseInteger", "$sum", "$max", "$min", "$average",
  // Boolean
  "$boolean", "$not", "$exists",
  // Array
  "$count", "$append", "$sort", "$reverse", "$shuffle", "$distinct", "$zip",
  // Object
  "$keys", "$lookup", "$spread", "$merge", "$sift", "$each", "$error", "$assert", "$type",
  // Date and time
  "$now", "$millis", "$fromMillis", "$toMillis",
  // Higher-order
  "$map", "$filter", "$single", "$reduce",
  // Step Functions
  "$partition", "$range", "$hash", "$uuid", "$parse",
];

const STEP_FUNCTIONS = new Set(["$partition", "$range", "$hash", "$random", "$uuid", "$parse"]);

/** The fields of the reserved `$states` variable. */
export const STATES_FIELDS = ["input", "result", "errorOutput", "context"];

/** The top-level fields of the context object (`$states.context`). */
export const CONTEXT_FIELDS = ["Execution", "State", "StateMachine", "Task", "Map"];

/**
 * Completion inside a `{% … %}` expression: the cursor is after a `{%` on its line that no `%}`
 * closes yet. Text-based, so it works the same in JSON and YAML.
 */
function jsonataCompletion(context: CompletionContext, variables: string[]): CompletionResult | null | undefined {
  const { state, pos } = context;
  const line = state.doc.lineAt(pos);
  const before = state.sliceDoc(line.from, pos);
  const open = before.lastIndexOf("{%");
  if (open < 0 || before.indexOf("%}", open) >= 0) return undefined;
  const contextField = /\$states\.context\.(\w*)$/.exec(before);
  if (contextField) {
    return {
      from: pos - (contextField[1] ?? "").length,
      options: CONTEXT_FIELDS.map((label) => ({ label, type: "property", detail: "context object" })),
      validFor: /^\w*$/,
    };
  }
  const fields = /\$states\.(\w*)$/.exec(before);
  if (fields) {
    return {
      from: pos - (fields[1] ?? "").length,
      options: STATES_FIELDS.map((label) => ({ label, type: "property", detail: "$states" })),
      validFor: /^\w*$/,
    };
  }
  const word = /\$\w*$/.exec(before);
  if (!word) return null;
  const options = [
    ...variables.map((name) => ({ label: `$${name}`, type: "variable", detail: "variable", boost: 2 })),
    { label: "$states", type: "keyword", detail: "input, result, errorOutput, context", boost: 1 },
    ...JSONATA_FUNCTIONS.map((label) => ({
      label,
      type: "function",
      detail: STEP_FUNCTIONS.has(label) ? "Step Functions" : "JSONata",
    })),
  ];
  return { from: pos - word[0].length, options, validFor: /^\$\w*$/ };
}

const STATE_REFERENCES = new Set(["Next", "Default", "StartAt"]);

/** The text of a string node without its quotes. */
function unquote(state: EditorState, node: SyntaxNode): string {
  return state.sliceDoc(node.from + 1, node.to - 1);
}

/** The value of the `Type` member of an object node, if it has one. */
function typeOf(state: EditorState, object: SyntaxNode | null): string | null {
  for (let child = object?.firstChild ?? null; child; child = child.nextSibling) {
    if (child.name !== "Property") continue;
    const key = child.getChild("PropertyName");
    const value = child.getChild("String");
    if (key && value && unquote(state, key) === "Type") return unquote(state, value);
  }
  return null;
}

export function aslCompletions(data: () => CompletionData) {
  return (context: CompletionContext): CompletionResult | null => {
    const { state, pos } = context;
    const expression = jsonataCompletion(context, data().variables ?? []);
    if (expression !== undefined) return expression;
    const node = syntaxTree(state).resolveInner(pos, -1);
    const inString = node.name === "PropertyName" || node.name === "String";
    if (!inString || pos <= node.from) return null;
    const { vocabulary, stateNames } = data();
    const from = node.from + 1;
    const property = node.parent?.name === "Property" ? node.parent : null;
    const isKey = node.name === "PropertyName" || node.parent?.name === "Object";
    if (isKey) {
      const object = property ? property.parent : node.parent;
      const type = typeOf(state, object);
      const fields =
        type !== null
          ? (vocabulary?.stateFields.find((f) => f.stateType === type)?.fields ?? [])
          : [...(vocabulary?.machineFields ?? []), ...(vocabulary?.ruleFields ?? []), "Type"];
      return {
        from,
        options: [...new Set(fields)].map((label) => ({ label, type: "property" })),
        validFor: /^\w*$/,
      };
    }
    const key = property?.getChild("PropertyName");
    const name = key ? unquote(state, key) : "";
    if (STATE_REFERENCES.has(name)) {
      return { from, options: stateNames.map((label) => ({ label, type: "variable" })), validFor: /^[^"]*$/ };
    }
    if (name === "Type") {
      const types = vocabulary?.stateTypes ?? [];
      return { from, options: types.map((label) => ({ label, type: "type" })), validFor: /^\w*$/ };
    }
    return null;
  };
}
