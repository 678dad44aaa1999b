import { createContext } from "react";
import type { EditRequest } from "../../ipc/rpc";

/** What nodes need from the canvas without prop drilling through React Flow. */
export type CanvasActions = {
  /** Asks Rust for an edit. */
  edit: (edit: EditRequest) => void;
  /** The state being renamed in place (F2 or double-click), if any. */
  renaming: string | null;
  setRenaming: (id: string | null) => void;
};

export const EditContext = createContext<CanvasActions>({
  edit: () => {},
  renaming: null,
  setRenaming: () => {},
});
