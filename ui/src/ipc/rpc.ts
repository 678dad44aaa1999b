// The only door to the Rust side. Every call is typed by the generated StepwiseRpc map, so a
// change to a command's Rust types shows up here as a type error.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type {
  ApiError,
  DocumentSnapshot,
  ShellRpc,
  SnapshotUpdate,
  StepwiseEvents,
  StepwiseRpc,
} from "./generated/bindings";
import { applySnapshotUpdate, isSnapshotUpdate } from "./snapshots";

export type * from "./generated/bindings";

/** A command's answer as the UI sees it: snapshot updates arrive as whole snapshots. */
export type Answer<T> = T extends SnapshotUpdate ? DocumentSnapshot : T;

export function rpc<K extends keyof StepwiseRpc>(
  command: K,
  request: StepwiseRpc[K][0],
): Promise<Answer<StepwiseRpc[K][1]>> {
  return invoke<StepwiseRpc[K][1]>(command, { req: request }).then(async (answer) => {
    if (!isSnapshotUpdate(answer)) return answer as Answer<StepwiseRpc[K][1]>;
    return (applySnapshotUpdate(answer) ?? (await wholeSnapshot(answer.documentId))) as Answer<
      StepwiseRpc[K][1]
    >;
  });
}

/** The document's snapshot sent whole, after an update that did not follow the one held. */
async function wholeSnapshot(documentId: number): Promise<DocumentSnapshot> {
  const answer = await invoke<SnapshotUpdate>("document_snapshot", { req: { documentId } });
  const snapshot = applySnapshotUpdate(answer);
  if (snapshot === null) throw new Error("the document's snapshot could not be rebuilt");
  return snapshot;
}

/** The message of a failed rpc call, whether it came from Rust (ApiError) or from the bridge. */
export function errorMessage(error: unknown): string {
  if (typeof error === "object" && error !== null && "message" in error) {
    return String((error as ApiError).message);
  }
  return String(error);
}

/** A command of the desktop shell itself (native dialogs, the window). */
export function shell<K extends keyof ShellRpc>(
  command: K,
  request: ShellRpc[K][0],
): Promise<ShellRpc[K][1]> {
  return invoke<ShellRpc[K][1]>(command, { req: request });
}

/** Subscribes to a shell event; returns the function that unsubscribes. */
export function onEvent<K extends keyof StepwiseEvents>(
  event: K,
  handler: (payload: StepwiseEvents[K]) => void,
): Promise<() => void> {
  return listen<StepwiseEvents[K]>(event, (e) => handler(e.payload));
}

