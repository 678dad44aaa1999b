import { afterEach, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import type { NamedInputView } from "../../ipc/rpc";
import { backend, clearMocks } from "../../test/backend";
import { SavedInputs } from "./SavedInputs";

afterEach(() => {
  cleanup();
  clearMocks();
});

/** A database of saved inputs behind the mocked commands. */
function database(initial: NamedInputView[]) {
  let rows = [...initial];
  const sorted = () => [...rows].sort((a, b) => a.name.localeCompare(b.name));
  backend(
    (command, args) => {
    const req = (args as { req: Record<string, string> }).req;
    if (command === "save_input") {
      rows = [...rows.filter((r) => r.name !== req.name), { name: String(req.name), input: String(req.input) }];
      return sorted();
    }
    if (command === "delete_input") {
      rows = rows.filter((r) => r.name !== req.name);
      return sorted();
    }
    throw new Error(command);
    },
    { list_inputs: sorted() },
  );
  return () => rows;
}

function Harness() {
  const [input, setInput] = useState('{"now": 1}');
  return (
    <>
      <textarea aria-label="Execution input" value={input} onChange={(e) => setInput(e.target.value)} />
      <SavedInputs documentId={0} input={input} onInput={setInput} onError={() => undefined} />
    </>
  );
}

it("loads a saved input, saves the current one under a name, and deletes one", async () => {
  const rows = database([{ name: "happy", input: '{"ok": true}' }]);
  render(<Harness />);
  const picker = await screen.findByLabelText("Saved inputs");
  await screen.findByRole("option", { name: "happy" });
  fireEvent.change(picker, { target: { value: "happy" } });
  expect((screen.getByLabelText("Execution input") as HTMLTextAreaElement).value).toBe('{"ok": true}');

  fireEvent.change(screen.getByLabelText("Execution input"), { target: { value: '{"edge": 0}' } });
  fireEvent.click(screen.getByRole("button", { name: "Save input" }));
  fireEvent.change(screen.getByLabelText("Input name"), { target: { value: "edge case" } });
  fireEvent.click(screen.getByRole("button", { name: "Save" }));
  await screen.findByRole("option", { name: "edge case" });
  expect(rows()).toContainEqual({ name: "edge case", input: '{"edge": 0}' });

  fireEvent.click(screen.getByRole("button", { name: "Delete saved input edge case" }));
  await waitFor(() => expect(screen.queryByRole("option", { name: "edge case" })).toBeNull());
  expect(rows().map((r) => r.name)).toEqual(["happy"]);
});
