// What the debugger shows on the canvas: the breakpoints of each document (by state name) and the
// state a paused run waits before. A small external store, so the canvas nodes read it without
// props threaded through the App and React Flow; the run panel writes it.
import { useSyncExternalStore } from "react";

type DebugState = {
  /** The document the canvas shows. */
  documentId: number | null;
  /** Breakpoints per document. */
  breakpoints: ReadonlyMap<number, ReadonlySet<string>>;
  /** The state a paused run waits before. */
  pausedAt: string | null;
};

const NONE: ReadonlySet<string> = new Set();
let state: DebugState = { documentId: null, breakpoints: new Map(), pausedAt: null };
const listeners = new Set<() => void>();

function update(next: Partial<DebugState>) {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The breakpoints of the document shown. */
export function breakpointsOf(documentId: number | null = state.documentId): ReadonlySet<string> {
  return documentId === null ? NONE : (state.breakpoints.get(documentId) ?? NONE);
}

/** Adds or removes the breakpoint on `name` in the document shown; returns the new set. */
export function toggleBreakpoint(name: string): ReadonlySet<string> {
  const { documentId } = state;
  if (documentId === null) return NONE;
  const next = new Set(breakpointsOf(documentId));
  if (next.has(name)) next.delete(name);
  else next.add(name);
  const all = new Map(state.breakpoints);
  all.set(documentId, next);
  update({ breakpoints: all });
  return next;
}

export function setDebugDocument(documentId: number | null) {
  if (state.documentId !== documentId) update({ documentId, pausedAt: null });
}

export function setPausedAt(name: string | null) {
  if (state.pausedAt !== name) update({ pausedAt: name });
}

/** Forgets everything (tests). */
export function resetDebugStore() {
  update({ documentId: null, breakpoints: new Map(), pausedAt: null });
}

export function useBreakpoints(): ReadonlySet<string> {
  return useSyncExternalStore(subscribe, () => breakpointsOf());
}

export function usePausedAt(): string | null {
  return useSyncExternalStore(subscribe, () => state.pausedAt);
}
