// Copy, paste and duplicate of states on the canvas.
//
// What travels is ASL text: `{"States": {"Name": {…}, …}}`, the selected states with their names,
// so a copy pastes into another Stepwise window or a text editor, and a machine copied from
// elsewhere pastes here. The system clipboard is used where the WebView allows it; a copy is
// also kept in the app, for WebViews that refuse clipboard access. Pasting is one `pasteStates`
// edit: Rust picks unique names and decides what happens to transitions (see
// `Edit::PasteStates`).

import type { EditRequest, GraphView } from "../../ipc/rpc";

/** The states of a copy, by name, in order. */
export type CopiedStates = Record<string, unknown>;

/** The machine a state belongs to: its pointer without `/States/<name>` (`""` at the top). */
export function machineOf(statePointer: string): string {
  const at = statePointer.lastIndexOf("/States/");
  return at < 0 ? "" : statePointer.slice(0, at);
}

/** The text a copy puts on the clipboard. */
export function clipboardText(states: CopiedStates): string {
  return JSON.stringify({ States: states }, null, 2);
}

function isState(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { Type?: unknown }).Type === "string";
}

/**
 * The states in a clipboard text, or null when it holds none: `{"States": {…}}` (a copy, or a
 * whole machine), an object of named states, or one state object (named after its type).
 */
export function parseClipboard(text: string): CopiedStates | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const object = value as Record<string, unknown>;
  if (isState(object)) return { [object.Type as string]: object };
  const states = typeof object.States === "object" && object.States !== null ? object.States : object;
  const entries = Object.entries(states as Record<string, unknown>);
  if (entries.length === 0 || !entries.every(([, state]) => isState(state))) return null;
  return Object.fromEntries(entries);
}

/**
 * The paste edits for a copy: into the machine of the selected state (beside it), or the top
 * level when nothing is selected.
 */
export function pasteEdit(states: CopiedStates, selected: string | null): EditRequest {
  return { kind: "pasteStates", machine: selected ? machineOf(selected) : "", states };
}

/** The selected states grouped by machine, in graph order: one duplicate edit per machine. */
export function byMachine(selected: string[], graph: GraphView): Map<string, string[]> {
  const wanted = new Set(selected);
  const groups = new Map<string, string[]>();
  for (const node of graph.nodes) {
    if (node.kind !== "state" || !wanted.has(node.id)) continue;
    const machine = machineOf(node.id);
    groups.set(machine, [...(groups.get(machine) ?? []), node.id]);
  }
  return groups;
}

/** A state's name: the last segment of its pointer, JSON Pointer escapes undone. */
export function nameOf(statePointer: string): string {
  const last = statePointer.slice(statePointer.lastIndexOf("/") + 1);
  return last.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** The copy kept in the app, and whether the system clipboard took it too. */
let kept: { states: CopiedStates; onSystemClipboard: boolean } | null = null;

/** Puts a copy on the system clipboard where allowed, and keeps it in the app. */
export async function writeCopy(states: CopiedStates): Promise<void> {
  let onSystemClipboard = false;
  try {
    await navigator.clipboard.writeText(clipboardText(states));
    onSystemClipboard = true;
  } catch {
    // The WebView refused: the in-app copy is the clipboard.
  }
  kept = { states, onSystemClipboard };
}

/**
 * What a paste pastes: the system clipboard's states when it can be read (a copy from another
 * window or a text editor), else the copy kept in the app; null when there is nothing.
 */
export async function readCopy(): Promise<CopiedStates | null> {
  try {
    // Some WebViews hold the read until the user confirms a "Paste" prompt: don't wait on it.
    const refused = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), 400));
    const text = await Promise.race([navigator.clipboard.readText(), refused]);
    const states = parseClipboard(text);
    if (states) return states;
    // Something else was copied since; the in-app copy counts only if the system never had it.
    return kept && !kept.onSystemClipboard ? kept.states : null;
  } catch {
    return kept?.states ?? null;
  }
}
