// Runs as files: export a recorded run (definition, input, history) and import one, or an AWS
// GetExecutionHistory answer, through the native dialogs.
import { rpc, shell, type ImportedExecution } from "../../ipc/rpc";

/** Asks where to write run `id` and writes it there; the path, or null when cancelled. */
export async function exportExecution(id: number, name: string): Promise<string | null> {
  const path = await shell("choose_save_path", { suggestedName: `${name}.execution.json` });
  if (path === null) return null;
  return rpc("export_execution", { id, path });
}

/** Asks for a run file and reads it; null when cancelled. */
export async function importExecution(documentId: number): Promise<ImportedExecution | null> {
  const path = await shell("choose_open_path", {});
  if (path === null) return null;
  return rpc("import_execution", { documentId, path });
}
