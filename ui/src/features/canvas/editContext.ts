import { createContext } from "react";
import type { EditRequest } from "../../ipc/rpc";

/** Lets a node ask for an edit (rename in place) without prop drilling through React Flow. */
export const EditContext = createContext<(edit: EditRequest) => void>(() => {});
