// The UI's copy of the document: the latest snapshot Rust sent, and the three ways to change it.
// Every change goes to Rust, in order, through one queue: Rust applies them one at a time and
// answers with a whole new snapshot, so the canvas, the code view and undo never disagree.
import { useCallback, useEffect, useRef, useState } from "react";
import { flushSync } from "react-dom";
import {
  errorMessage,
  onEvent,
  rpc,
  shell,
  type DocumentSnapshot,
  type EditRequest,
  type InsertPaletteItem,
} from "../ipc/rpc";

/** Where the snapshot came from: the code view must not overwrite text the user is typing. */
export type Origin = "open" | "text" | "edit" | "history" | "file";

export type DocumentState = {
  snapshot: DocumentSnapshot | null;
  origin: Origin;
  /** The last failure: a file that did not open, an edit Rust refused. */
  error: string | null;
  /** Another program changed the file while the user has unsaved edits: ask before reloading. */
  changedOnDisk: boolean;
  /** The window was asked to close while edits are unsaved. */
  closeRequested: boolean;
};

/** How long the code view waits after the last keystroke before it sends the text. */
export const TEXT_DEBOUNCE_MS = 250;

export function useDocument() {
  const [state, setState] = useState<DocumentState>({
    snapshot: null,
    origin: "open",
    error: null,
    changedOnDisk: false,
    closeRequested: false,
  });
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const pendingText = useRef<{ text: string; timer: ReturnType<typeof setTimeout> } | null>(null);
  const documentId = state.snapshot?.documentId;

  /**
   * Runs `call` after every earlier call has finished and shows its snapshot or its error;
   * resolves to whether it succeeded.
   */
  const enqueue = useCallback((origin: Origin, call: () => Promise<DocumentSnapshot>) => {
    const next = queue.current.then(call).then(
      (snapshot) => {
        // Rendered at once, with its effects, rather than in a task React schedules later: the
        // canvas, the inspector and the code view show the change in the next frame the window
        // paints (the canvas hands it to React Flow in an effect).
        flushSync(() =>
          setState((current) =>
            // A snapshot older than the one shown (revision) is stale; newer or a new document wins.
            current.snapshot &&
            current.snapshot.documentId === snapshot.documentId &&
            current.snapshot.revision > snapshot.revision
              ? current
              : { ...current, snapshot, origin, error: null },
          ),
        );
        return true;
      },
      (error: unknown) => {
        setState((current) => ({ ...current, error: errorMessage(error) }));
        return false;
      },
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

  /**
   * Rewrites a JSONPath state as JSONata (one undoable change). When Rust refuses (a field with
   * no faithful equivalent), the reason it gives is shown, naming the state.
   */
  const convertToJsonata = useCallback(
    (state: string, name: string) => {
      if (documentId === undefined) return Promise.resolve(false);
      void flushText();
      return enqueue("edit", () =>
        rpc("convert_to_jsonata", { documentId, state }).catch((error: unknown) => {
          const reason = errorMessage(error).replace(/^not applicable: /, "");
          throw new Error(`Cannot convert "${name}" to JSONata: ${reason}`);
        }),
      );
    },
    [documentId, enqueue, flushText],
  );

  const insertItem = useCallback(
    (request: Omit<InsertPaletteItem, "documentId">) => {
      if (documentId === undefined) return Promise.resolve(false);
      void flushText();
      return enqueue("edit", () => rpc("insert_palette_item", { documentId, ...request }));
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

  /** Drops the rest of a chain when a step fails, after showing why. */
  const fail = useCallback((error: unknown) => {
    setState((current) => ({ ...current, error: errorMessage(error) }));
    throw error;
  }, []);

  /** Asks where to save, then saves there; false when the user cancels. */
  const saveAs = useCallback(async () => {
    if (documentId === undefined) return false;
    await flushText();
    const suggestedName = state.snapshot?.name ?? "workflow.asl.json";
    const path = await shell("choose_save_path", { suggestedName }).catch(fail);
    if (path === null) return false;
    return enqueue("file", () => rpc("save_document_as", { documentId, path }));
  }, [documentId, enqueue, fail, flushText, state.snapshot?.name]);

  /** Saves to the document's file, or asks where when it has none yet; true once saved. */
  const save = useCallback(async () => {
    if (documentId === undefined) return false;
    if (state.snapshot?.path == null) return saveAs();
    await flushText();
    return enqueue("file", () => rpc("save_document", { documentId }));
  }, [documentId, enqueue, flushText, saveAs, state.snapshot?.path]);

  const openPath = useCallback(
    (path: string) => enqueue("open", () => rpc("open_document", { path })),
    [enqueue],
  );

  const open = useCallback(async () => {
    const path = await shell("choose_open_path", {}).catch(fail);
    if (path !== null) await openPath(path);
  }, [fail, openPath]);

  const newFromTemplate = useCallback(
    (id: string) => enqueue("open", () => rpc("new_from_template", { id })),
    [enqueue],
  );

  /** Shows a document Rust has just opened (an imported run's definition). */
  const adopt = useCallback(
    (snapshot: DocumentSnapshot) => enqueue("open", () => Promise.resolve(snapshot)),
    [enqueue],
  );

  const reload = useCallback(() => {
    if (documentId === undefined) return Promise.resolve();
    setState((s) => ({ ...s, changedOnDisk: false }));
    return enqueue("file", () => rpc("reload_document", { documentId }));
  }, [documentId, enqueue]);

  const keepMine = useCallback(() => setState((s) => ({ ...s, changedOnDisk: false })), []);

  const moveNode = useCallback(
    (nodeId: string, x: number, y: number) => {
      if (documentId === undefined) return Promise.resolve();
      return enqueue("edit", () => rpc("set_node_position", { documentId, nodeId, x, y }));
    },
    [documentId, enqueue],
  );

  const resetLayout = useCallback(() => {
    if (documentId === undefined) return Promise.resolve();
    return enqueue("edit", () => rpc("reset_layout", { documentId }));
  }, [documentId, enqueue]);

  /** Answers the close question: save first (unless `discard`), then close; or stay open. */
  const answerClose = useCallback(
    async (answer: "save" | "discard" | "cancel") => {
      setState((s) => ({ ...s, closeRequested: false }));
      if (answer === "cancel") return;
      if (answer === "save" && !(await save())) return;
      await shell("close_window", {}).catch(fail);
    },
    [fail, save],
  );

  // Shell events: the file changed on disk (reload at once unless that would lose edits), and a
  // close request while edits are unsaved.
  useEffect(() => {
    const subscriptions = [
      onEvent("disk-changed", (change) => {
        if (change.documentId !== documentId) return;
        if (change.unsavedEdits) setState((s) => ({ ...s, changedOnDisk: true }));
        else void reload();
      }),
      onEvent("close-requested", () => setState((s) => ({ ...s, closeRequested: true }))),
      onEvent("file-dropped", (dropped) => void openPath(dropped.path)),
    ];
    return () => {
      for (const subscription of subscriptions) {
        void subscription.then((unsubscribe) => unsubscribe()).catch(() => undefined);
      }
    };
  }, [documentId, reload, openPath]);

  return {
    ...state,
    changeText,
    applyEdit,
    convertToJsonata,
    insertItem,
    undo,
    redo,
    dismissError,
    save,
    saveAs,
    open,
    openPath,
    newFromTemplate,
    adopt,
    reload,
    keepMine,
    moveNode,
    resetLayout,
    answerClose,
  };
}
