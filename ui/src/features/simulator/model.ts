// What the data-flow simulator edits and how it shows change: the fields of a state's data
// pipeline per type and query language, the state with the simulator's edits applied, and which
// lines of a stage's value are new compared with the stage before it.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A pipeline field: a path (typed as text) or a JSON value. */
export type FieldKind = "path" | "json";

/** The pipeline fields in the order the data meets them (developer guide, "Processing input and output"). */
const JSONPATH_FIELDS: Array<[string, FieldKind]> = [
  ["InputPath", "path"],
  ["Parameters", "json"],
  ["ItemsPath", "path"],
  ["ItemSelector", "json"],
  ["Result", "json"],
  ["ResultSelector", "json"],
  ["ResultPath", "path"],
  ["OutputPath", "path"],
];

/** JSONata states: Arguments (or Items/ItemSelector for a Map) and Output (developer guide, "Transforming data with JSONata"). */
const JSONATA_FIELDS: Array<[string, FieldKind]> = [
  ["Items", "json"],
  ["ItemSelector", "json"],
  ["Arguments", "json"],
  ["Output", "json"],
];

/** The pipeline fields this state may have, in pipeline order, among those the validator allows. */
export function pipelineFields(language: string, allowed: readonly string[]): Array<[string, FieldKind]> {
  const fields = language === "JSONata" ? JSONATA_FIELDS : JSONPATH_FIELDS;
  return fields.filter(([name]) => allowed.includes(name));
}

/** The text a field is edited as: paths as they are, JSON values pretty-printed; absent is empty. */
export function fieldText(value: Json | undefined, kind: FieldKind): string {
  if (value === undefined) return "";
  if (kind === "path" && typeof value === "string") return value;
  if (typeof value === "string" && value.startsWith("{%")) return value;
  return JSON.stringify(value, null, 2);
}

/** Reads a field's text back: empty removes the field; JSON must parse (a JSONata `{% %}` is a string). */
export function parseField(text: string, kind: FieldKind): { value: Json | undefined } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === "") return { value: undefined };
  if (kind === "path" || trimmed.startsWith("{%")) return { value: trimmed };
  try {
    return { value: JSON.parse(trimmed) as Json };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** The state with the simulator's field texts applied, or the first field that does not parse. */
export function applyFields(
  state: JsonObject,
  texts: Record<string, string>,
  kinds: Record<string, FieldKind>,
): { state: JsonObject } | { field: string; error: string } {
  const out: JsonObject = { ...state };
  for (const [field, text] of Object.entries(texts)) {
    const parsed = parseField(text, kinds[field] ?? "json");
    if ("error" in parsed) return { field, error: parsed.error };
    if (parsed.value === undefined) delete out[field];
    else out[field] = parsed.value;
  }
  return { state: out };
}

/**
 * Which lines of `next` are not in `previous` (a longest-common-subsequence line diff): the
 * lines a stage changed. Past a size where the table would be large, every differing text is
 * marked whole.
 */
export function changedLines(previous: string | null, next: string): boolean[] {
  const b = next.split("\n");
  if (previous === null) return b.map(() => false);
  if (previous === next) return b.map(() => false);
  const a = previous.split("\n");
  if (a.length * b.length > 4_000_000) return b.map(() => true);
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  const at = (i: number, j: number) => lcs[i * width + j] ?? 0;
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const changed = b.map(() => true);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      changed[j] = false;
      i++;
      j++;
    } else if (at(i + 1, j) >= at(i, j + 1)) i++;
    else j++;
  }
  return changed;
}
