// Document snapshots cross IPC as updates: what changed since the last one Rust sent for the
// same document (decision 0013). This rebuilds each whole snapshot from the one held, keeping the
// objects of every node, edge and range that did not change, so React re-renders only what an
// edit touched. An update that does not follow the snapshot held (an answer that arrived out of
// order) is not guessed at: the caller asks Rust for the whole snapshot again.
import type {
  DocumentSnapshot,
  ListUpdate,
  RangeView,
  SnapshotUpdate,
  StateRange,
} from "./generated/bindings";

const held = new Map<number, { seq: number; snapshot: DocumentSnapshot }>();

const EMPTY: DocumentSnapshot = {
  documentId: 0,
  path: null,
  name: "",
  text: "",
  diagnostics: [],
  graph: { nodes: [], edges: [] },
  revision: 0,
  canUndo: false,
  canRedo: false,
  focus: null,
  format: "json",
  dirty: false,
  stateRanges: [],
};

/** Whether an answer is a snapshot update (UI tests answer with whole snapshots instead). */
export function isSnapshotUpdate(answer: unknown): answer is SnapshotUpdate {
  return typeof answer === "object" && answer !== null && "seq" in answer && "base" in answer;
}

/**
 * The base's list with `update` applied; `shift` moves the kept end's items. A list the update
 * kept whole is the base's array itself, so what is derived from it need not be derived again.
 */
function applyList<T>(base: readonly T[], update: ListUpdate<T>, shift: (item: T, lines: number) => T): T[] {
  const unmoved = update.endLineShift === 0 || update.keepEnd === 0 || shift === same;
  if (update.middle.length === 0 && update.keepStart + update.keepEnd === base.length && unmoved) {
    return base as T[];
  }
  const end = base.slice(base.length - update.keepEnd);
  return [
    ...base.slice(0, update.keepStart),
    ...update.middle,
    ...(update.endLineShift === 0 ? end : end.map((item) => shift(item, update.endLineShift))),
  ];
}

const same = <T>(item: T) => item;

function shiftRange(item: StateRange, lines: number): StateRange {
  const move = (range: RangeView): RangeView => ({
    start: { line: range.start.line + lines, column: range.start.column },
    end: { line: range.end.line + lines, column: range.end.column },
  });
  return { id: item.id, range: move(item.range) };
}

/** The snapshot `update` describes, or null when it does not follow the snapshot held. */
export function applySnapshotUpdate(update: SnapshotUpdate): DocumentSnapshot | null {
  const heldNow = held.get(update.documentId);
  if (update.base !== null && heldNow?.seq !== update.base) return null;
  const base = update.base === null ? EMPTY : (heldNow?.snapshot ?? EMPTY);
  const { from, to, insert } = update.text;
  const nodes = applyList(base.graph.nodes, update.nodes, same);
  const edges = applyList(base.graph.edges, update.edges, same);
  const snapshot: DocumentSnapshot = {
    documentId: update.documentId,
    path: update.path,
    name: update.name,
    text: from === 0 && to === base.text.length ? insert : base.text.slice(0, from) + insert + base.text.slice(to),
    diagnostics: update.diagnostics ?? base.diagnostics,
    // An update that changed neither nodes nor edges keeps the graph object itself.
    graph: nodes === base.graph.nodes && edges === base.graph.edges ? base.graph : { nodes, edges },
    revision: update.revision,
    canUndo: update.canUndo,
    canRedo: update.canRedo,
    focus: update.focus,
    format: update.format,
    dirty: update.dirty,
    stateRanges: applyList(base.stateRanges, update.stateRanges, shiftRange),
  };
  held.set(update.documentId, { seq: update.seq, snapshot });
  return snapshot;
}

/** Forgets every snapshot held (for tests). */
export function forgetSnapshots() {
  held.clear();
}
