// Completion in the code view: field names where a key is typed (the fields of the enclosing
// state's Type, from Rust's tables), state names in Next/Default/StartAt, and the state types in
// Type. Pure over the editor state, so it is tested without a browser.
import type { CompletionContext, CompletionResult } from "@codemirror/autocomplete";
import { syntaxTree } from "@codemirror/language";
import type { SyntaxNode } from "@lezer/common";
import type { EditorState } from "@codemirror/state";
import type { Vocabulary } from "../../ipc/rpc";

export type CompletionData = { vocabulary: Vocabulary | null; stateNames: string[] };

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
