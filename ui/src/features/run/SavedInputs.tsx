// Named inputs saved per workflow (in the app's database): pick one to load it into the input
// editor, save the current input under a name, or forget one.
import { useEffect, useState } from "react";
import { errorMessage, rpc, type NamedInputView } from "../../ipc/rpc";

type Props = {
  documentId: number;
  /** The input being edited. */
  input: string;
  onInput: (input: string) => void;
  onError: (message: string) => void;
};

export function SavedInputs({ documentId, input, onInput, onError }: Props) {
  const [inputs, setInputs] = useState<NamedInputView[]>([]);
  const [chosen, setChosen] = useState("");
  const [naming, setNaming] = useState<string | null>(null);
  useEffect(() => {
    rpc("list_inputs", { documentId }).then(setInputs, () => setInputs([]));
  }, [documentId]);
  const fail = (e: unknown) => onError(errorMessage(e));

  const choose = (name: string) => {
    setChosen(name);
    const found = inputs.find((i) => i.name === name);
    if (found) onInput(found.input);
  };
  const save = (name: string) =>
    rpc("save_input", { documentId, name, input }).then((saved) => {
      setInputs(saved);
      setChosen(name.trim());
      setNaming(null);
    }, fail);
  const remove = () =>
    rpc("delete_input", { documentId, name: chosen }).then((left) => {
      setInputs(left);
      setChosen("");
    }, fail);

  return (
    <span className="saved-inputs">
      <select aria-label="Saved inputs" value={chosen} onChange={(e) => choose(e.target.value)}>
        <option value="">{inputs.length === 0 ? "No saved inputs" : "Saved inputs…"}</option>
        {inputs.map((i) => (
          <option key={i.name} value={i.name}>
            {i.name}
          </option>
        ))}
      </select>
      {naming === null ? (
        <>
          <button type="button" onClick={() => setNaming(chosen)} title="Save this input under a name">
            Save input
          </button>
          {chosen !== "" && (
            <button type="button" onClick={() => void remove()} aria-label={`Delete saved input ${chosen}`}>
              Delete
            </button>
          )}
        </>
      ) : (
        <form
          className="saved-inputs-name"
          onSubmit={(e) => {
            e.preventDefault();
            void save(naming);
          }}
        >
          <input
            aria-label="Input name"
            value={naming}
            autoFocus
            placeholder="Name"
            onChange={(e) => setNaming(e.target.value)}
            onKeyDown={(e) => e.key === "Escape" && setNaming(null)}
          />
          <button type="submit">Save</button>
        </form>
      )}
    </span>
  );
}
