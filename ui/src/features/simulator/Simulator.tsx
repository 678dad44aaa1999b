// The data-flow simulator for one state, as the AWS console has it: an input (typed, or taken
// from the last run), the state's pipeline fields as editable text, the task's answer, and every
// stage's value recomputed by Rust (`test_state`, the interpreter's own code) as you type.
// Edits stay in the simulator until "Apply to state" sends them to the document as edits.
import { useEffect, useMemo, useState } from "react";
import { errorMessage, rpc, type EditRequest, type SimulatedTask, type StateInspection, type TestStateResult } from "../../ipc/rpc";
import { StageList } from "../run/StageList";
import { applyFields, fieldText, pipelineFields, type FieldKind, type Json, type JsonObject } from "./model";

type Props = {
  documentId: number;
  inspection: StateInspection;
  /** The input and task result of this state's visit in the last run, when it ran. */
  fromRun: { input: string; result: string | null } | null;
  onEdit: (edit: EditRequest) => void;
  onClose: () => void;
};

/** States whose work is a task (or tasks inside): their answer is given here. */
const ANSWERED = new Set(["Task", "Map", "Parallel"]);

export function Simulator({ documentId, inspection, fromRun, onEdit, onClose }: Props) {
  const state = useMemo(() => (inspection.value ?? {}) as JsonObject, [inspection.value]);
  const fields = useMemo(
    () => pipelineFields(inspection.queryLanguage, inspection.fields),
    [inspection.queryLanguage, inspection.fields],
  );
  const kinds = useMemo(() => Object.fromEntries(fields) as Record<string, FieldKind>, [fields]);
  const [texts, setTexts] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map(([name, kind]) => [name, fieldText(state[name], kind)])),
  );
  const [input, setInput] = useState(fromRun?.input ?? "{}");
  const [answer, setAnswer] = useState<"result" | "error">("result");
  const [resultText, setResultText] = useState(fromRun?.result ?? "{}");
  const [errorName, setErrorName] = useState("States.TaskFailed");
  const [cause, setCause] = useState("");
  const [outcome, setOutcome] = useState<{ result: TestStateResult } | { problem: string } | null>(null);

  const edited = useMemo(() => applyFields(state, texts, kinds), [state, texts, kinds]);
  const task: SimulatedTask =
    answer === "result" ? { kind: "result", json: resultText } : { kind: "error", error: errorName, cause };
  const request = JSON.stringify({ edited, input, task });

  // Every change runs the state again, shortly after typing stops; a stale answer is dropped.
  useEffect(() => {
    if ("field" in edited) return;
    let current = true;
    const timer = setTimeout(() => {
      rpc("test_state", { documentId, state: inspection.pointer, definition: edited.state, input, task }).then(
        (result) => current && setOutcome({ result }),
        (e: unknown) => current && setOutcome({ problem: errorMessage(e) }),
      );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // The request string stands for edited, input and task.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [documentId, inspection.pointer, request]);

  const changed = fields.filter(([name, kind]) => texts[name] !== fieldText(state[name], kind));
  const apply = () => {
    if ("field" in edited) return;
    for (const [name] of changed) {
      const value = edited.state[name] as Json | undefined;
      const pointer = `${inspection.pointer}/${name}`;
      onEdit(value === undefined ? { kind: "setField", pointer } : { kind: "setField", pointer, value });
    }
  };

  // A field that does not parse is said at once; the last answer waits until it does.
  const shown = "field" in edited ? { problem: `${edited.field}: ${edited.error}` } : outcome;
  const result = shown && "result" in shown ? shown.result : null;
  return (
    <div className="modal-backdrop">
      <div className="modal simulator" role="dialog" aria-modal="true" aria-labelledby="simulator-title">
        <header className="simulator-header">
          <h2 id="simulator-title">Data flow · {inspection.name}</h2>
          <span className="inspector-tag">{inspection.stateType}</span>
          <span className="inspector-tag">{inspection.queryLanguage}</span>
          <button type="button" className="icon-button" aria-label="Close the simulator" onClick={onClose}>
            ✕
          </button>
        </header>
        <div className="simulator-body">
          <section className="simulator-column" aria-label="Input and fields">
            <label className="simulator-field">
              <span>State input{fromRun ? " (from the last run)" : ""}</span>
              <textarea aria-label="Simulator input" value={input} spellCheck={false} onChange={(e) => setInput(e.target.value)} />
            </label>
            {fields.map(([name, kind]) => (
              <label key={name} className="simulator-field">
                <span>{name}</span>
                {kind === "path" ? (
                  <input
                    aria-label={`Simulator ${name}`}
                    value={texts[name] ?? ""}
                    spellCheck={false}
                    placeholder="$"
                    onChange={(e) => setTexts({ ...texts, [name]: e.target.value })}
                  />
                ) : (
                  <textarea
                    aria-label={`Simulator ${name}`}
                    value={texts[name] ?? ""}
                    spellCheck={false}
                    rows={Math.min(8, Math.max(2, (texts[name] ?? "").split("\n").length))}
                    onChange={(e) => setTexts({ ...texts, [name]: e.target.value })}
                  />
                )}
              </label>
            ))}
            {ANSWERED.has(inspection.stateType) && (
              <fieldset className="simulator-answer">
                <legend>The task answers</legend>
                <label>
                  <input type="radio" checked={answer === "result"} onChange={() => setAnswer("result")} /> a result
                </label>
                <label>
                  <input type="radio" checked={answer === "error"} onChange={() => setAnswer("error")} /> an error
                </label>
                {answer === "result" ? (
                  <textarea
                    aria-label="Task result"
                    value={resultText}
                    spellCheck={false}
                    onChange={(e) => setResultText(e.target.value)}
                  />
                ) : (
                  <>
                    <input aria-label="Task error" value={errorName} onChange={(e) => setErrorName(e.target.value)} />
                    <input aria-label="Task cause" value={cause} placeholder="Cause" onChange={(e) => setCause(e.target.value)} />
                  </>
                )}
              </fieldset>
            )}
          </section>
          <section className="simulator-column simulator-stages pipeline" aria-label="Stages" data-testid="simulator-stages">
            {shown === null && <p className="muted">…</p>}
            {shown && "problem" in shown && (
              <p className="run-refused" role="alert">
                {shown.problem}
              </p>
            )}
            {result && (
              <>
                <p className={`simulator-status status-${result.status.toLowerCase()}`} data-testid="simulator-status">
                  {result.status}
                  {result.nextState !== null && ` → ${result.nextState}`}
                  {result.error !== null && ` · ${result.error}${result.cause ? `: ${result.cause}` : ""}`}
                  {result.catchIndex !== null && ` · caught by Catch #${result.catchIndex + 1}`}
                  {result.retryIndex !== null &&
                    ` · Retry #${result.retryIndex + 1} would retry it after ${result.retryBackoffIntervalSeconds ?? 0} s`}
                </p>
                <StageList stages={result.stages} />
              </>
            )}
          </section>
        </div>
        <div className="modal-buttons">
          <button type="button" disabled={changed.length === 0 || "field" in edited || !inspection.editable} onClick={apply}>
            Apply to state{changed.length > 0 ? ` (${changed.map(([n]) => n).join(", ")})` : ""}
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
