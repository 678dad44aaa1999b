// The UI's copy of the document: the latest snapshot Rust sent, and the three ways to change it.
// Every change goes to Rust, in order, through one queue: Rust applies them one at a time and
// answers with a whole new snapshot, so the canvas, the code view and undo never disagree.
import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage, rpc, type DocumentSnapshot, type EditRequest } from "../ipc/rpc";

/** Where the snapshot came from: the code view must not overwrite text the user is typing. */
export type Origin = "open" | "text" | "edit" | "history";

export type DocumentState = {
  snapshot: DocumentSnapshot | null;
  origin: Origin;
  /** The last failure: a file that did not open, an edit Rust refused. */
  error: string | null;
};

/** How long the code view waits after the last keystroke before it sends the text. */
export const TEXT_DEBOUNCE_MS = 250;

export function useDocument() {
  const [state, setState] = useState<DocumentState>({ snapshot: null, origin: "open", error: null });
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const pendingText = useRef<{ text: string; timer: ReturnType<typeof setTimeout> } | null>(null);
  const documentId = state.snapshot?.documentId;

  /** Runs `call` after every earlier call has finished, and shows its snapshot or error. */
  const enqueue = useCallback((origin: Origin, call: () => Promise<DocumentSnapshot>) => {
    const next = queue.current.then(call).then(
      (snapshot) =>
        setState((current) =>
          // A snapshot older than the one shown (revision) is stale; newer or a new document wins.
          current.snapshot &&
          current.snapshot.documentId === snapshot.documentId &&
          current.snapshot.revision > snapshot.revision
            ? current
            : { snapshot, origin, error: null },
        ),
      (error: unknown) => setState((current) => ({ ...current, error: errorMessage(error) })),
    );
    queue.current = next;
    return next;
  }, []);

  useEffect(() => {
    enqueue("open", () => rpc("launch_document", {}));
  }, [enqueue]);

  /** Sends the code view's text now if some is waiting. */
  const flushText = useCallback(() => {
    const pending = pendingText.current;
    if (pending === null || documentId === undefined) return queue.current;
    clearTimeout(pending.timer);
    pendingText.current = null;
    return enqueue("text", () => rpc("apply_text", { documentId, text: pending.text }));
  }, [documentId, enqueue]);

  /** The code view's text changed: send it once the user pauses. */
  const changeText = useCallback(
    (text: string) => {
      if (pendingText.current) clearTimeout(pendingText.current.timer);
      pendingText.current = { text, timer: setTimeout(() => void flushText(), TEXT_DEBOUNCE_MS) };
    },
    [flushText],
  );

  const applyEdit = useCallback(
    (edit: EditRequest) => {
      if (documentId === undefined) return Promise.resolve();
      void flushText();
      return enqueue("edit", () => rpc("apply_edit", { documentId, edit }));
    },
    [documentId, enqueue, flushText],
  );

  const undo = useCallback(() => {
    if (documentId === undefined) return Promise.resolve();
    void flushText();
    return enqueue("history", () => rpc("undo", { documentId }));
  }, [documentId, enqueue, flushText]);

  const redo = useCallback(() => {
    if (documentId === undefined) return Promise.resolve();
    void flushText();
    return enqueue("history", () => rpc("redo", { documentId }));
  }, [documentId, enqueue, flushText]);

  const dismissError = useCallback(() => setState((s) => ({ ...s, error: null })), []);

  return { ...state, changeText, applyEdit, undo, redo, dismissError };
}
