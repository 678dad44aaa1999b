// The inspector: the selected state as a form. Rust says what the state holds, which fields its
// type and query language allow, and what is wrong where (`inspect_state`, asked again at every
// revision); each change goes back as one edit (`setField`, `connect`, `disconnect`), so it is one
// undo step and the canvas and the code view follow.
import { useEffect, useState } from "react";
import { errorMessage, rpc, type EditRequest, type StateInspection, type TransitionRef } from "../../ipc/rpc";
import { PlaceholderChip } from "../canvas/nodes";
import { Simulator } from "../simulator/Simulator";
import { Drafts, JsonField } from "./JsonField";
import { Problems, Row, TargetSelect, TextInput } from "./controls";
import { CatchEditor, ChoiceEditor, RetryEditor, type Editing } from "./lists";
import {
  DATA_FIELDS,
  PATH_FIELDS,
  WAIT_FIELDS,
  child,
  diagnosticsAt,
  diagnosticsElsewhere,
  pathValue,
  placeholdersIn,
  renameKey,
  scalarText,
  scalarValue,
  waitDefault,
  waitField,
  type Json,
  type JsonObject,
} from "./model";

type Props = {
  documentId: number;
  /** The document's revision: the inspection is asked again when it changes. */
  revision: number;
  /** The selected node's id (a state's JSON Pointer), or null. */
  stateId: string | null;
  /** The Choice rule fields Rust's tables name (operators among them). */
  ruleFields: string[];
  onEdit: (edit: EditRequest) => void;
  /** This state's input and task result in the last run, when it ran (the simulator starts from them). */
  runOf?: (name: string) => { input: string; result: string | null } | null;
};

/** Fields shown by a dedicated control, per state type (besides Comment, Next/End, data, Retry, Catch). */
const TYPE_FIELDS: Record<string, string[]> = {
  Task: ["Resource", "TimeoutSeconds", "HeartbeatSeconds"],
  Wait: [...WAIT_FIELDS],
  Choice: ["Choices", "Default"],
  Fail: ["Error", "Cause", "ErrorPath", "CausePath"],
  Map: ["ItemsPath", "Items", "MaxConcurrency", "ItemSelector"],
  Parallel: ["Branches"],
};

const STATE_TYPES = ["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"];

/** Fields never offered as free JSON: the type itself and the nested machines. */
const STRUCTURAL = new Set(["Type", "QueryLanguage", "Branches", "ItemProcessor", "Iterator"]);

export function Inspector({ documentId, revision, stateId, ruleFields, onEdit, runOf }: Props) {
  const [answer, setAnswer] = useState<{ for: string; inspection: StateInspection | null; error?: string } | null>(
    null,
  );
  // Folded to its header line, the inspector leaves the column to the code view.
  const [folded, setFolded] = useState(false);
  const [drafts] = useState(() => new Map<string, string>());
  // The state whose data flow the simulator shows, if open.
  const [simulating, setSimulating] = useState<string | null>(null);
  useEffect(() => {
    if (stateId === null) return;
    let current = true;
    rpc("inspect_state", { documentId, state: stateId }).then(
      (inspection) => current && setAnswer({ for: stateId, inspection }),
      (error: unknown) => current && setAnswer({ for: stateId, inspection: null, error: errorMessage(error) }),
    );
    return () => {
      current = false;
    };
  }, [documentId, stateId, revision]);

  const mine = stateId !== null && answer?.for === stateId ? answer : null;
  const inspection = mine?.inspection ?? null;
  if (inspection === null) {
    const message =
      stateId === null
        ? "Select a state to edit its fields."
        : mine === null
          ? "…"
          : (mine.error ?? "Not a state that can be edited here.");
    return (
      <section className="inspector inspector-empty" aria-label="Inspector" data-testid="inspector">
        <p className="muted">{message}</p>
      </section>
    );
  }
  return (
    <Drafts.Provider value={drafts}>
      <StateForm
        key={inspection.pointer}
        inspection={inspection}
        ruleFields={ruleFields}
        onEdit={onEdit}
        folded={folded}
        onFold={() => setFolded((f) => !f)}
        onSimulate={() => setSimulating(inspection.pointer)}
      />
      {simulating === inspection.pointer && (
        <Simulator
          documentId={documentId}
          inspection={inspection}
          fromRun={runOf?.(inspection.name) ?? null}
          onEdit={onEdit}
          onClose={() => setSimulating(null)}
        />
      )}
    </Drafts.Provider>
  );
}

function StateForm({
  inspection,
  ruleFields,
  onEdit,
  folded,
  onFold,
  onSimulate,
}: {
  inspection: StateInspection;
  ruleFields: string[];
  onEdit: (edit: EditRequest) => void;
  folded: boolean;
  onFold: () => void;
  onSimulate: () => void;
}) {
  const { pointer: state, stateType, queryLanguage: language, fields, diagnostics } = inspection;
  const value = (inspection.value ?? {}) as JsonObject;
  const disabled = !inspection.editable;
  const editing: Editing = {
    state,
    value,
    set: (pointer: string, v: Json | undefined) =>
      onEdit(v === undefined ? { kind: "setField", pointer } : { kind: "setField", pointer, value: v }),
    connect: (transition: TransitionRef, to: string | null) =>
      onEdit(to === null ? { kind: "disconnect", from: state, transition } : { kind: "connect", from: state, transition, to }),
    diagnostics,
    targets: inspection.targets,
    language,
    disabled,
  };
  const at = (field: string) => diagnosticsAt(diagnostics, child(state, field));
  const allowed = (field: string) => fields.includes(field);
  const id = (field: string) => `inspector-${field}`;

  /** A one-line field: a path, a string, or a number (numbers are typed as numbers). */
  const line = (field: string, kind: "scalar" | "path" | "string", placeholder?: string) => (
    <Row key={field} label={field} htmlFor={id(field)} diagnostics={at(field)}>
      <TextInput
        id={id(field)}
        label={field}
        text={scalarText(value[field])}
        placeholder={placeholder}
        disabled={disabled}
        onCommit={(text) =>
          editing.set(
            child(state, field),
            kind === "path" ? pathValue(text) : kind === "scalar" ? scalarValue(text) : text === "" ? undefined : text,
          )
        }
      />
      <PlaceholderChip names={placeholdersIn(value[field])} />
    </Row>
  );
  const jsonRow = (field: string, placeholder?: string) => (
    <Row key={field} label={field} diagnostics={at(field)}>
      <JsonField
        pointer={child(state, field)}
        label={field}
        value={value[field]}
        placeholder={placeholder}
        disabled={disabled}
        onApply={(v) => editing.set(child(state, field), v)}
      />
    </Row>
  );

  const hasTransition = allowed("Next") || allowed("End");
  const next = typeof value.Next === "string" ? value.Next : null;
  const dataFields = DATA_FIELDS.filter((f) => allowed(f));
  // Fields with a control of their own; any other field present is listed under "Other fields"
  // (as JSON, or with a Remove button when its type or language does not allow it).
  const handled = new Set([
    "Type",
    "QueryLanguage",
    "Comment",
    ...(hasTransition ? ["Next", "End"] : []),
    ...(TYPE_FIELDS[stateType] ?? []).filter(allowed),
    ...dataFields,
    ...["Retry", "Catch"].filter(allowed),
  ]);
  const others = Object.keys(value).filter((f) => !handled.has(f) && !STRUCTURAL.has(f));
  // What no field shows (the state as a whole, its Type, a nested machine) shows at the top.
  const stateProblems = diagnosticsElsewhere(diagnostics, state, [...handled, ...others]);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const header = (
    <header className="inspector-header">
      <button
        type="button"
        className="icon-button inspector-fold"
        aria-expanded={!folded}
        aria-label={folded ? "Expand the inspector" : "Fold the inspector"}
        title={folded ? "Expand" : "Fold"}
        onClick={onFold}
      >
        {folded ? "▸" : "▾"}
      </button>
      <span className="inspector-name" title={state}>
        {inspection.name}
      </span>
      <span className="inspector-tag">{stateType}</span>
      <span
        className={`inspector-tag inspector-tag-${language === "JSONata" ? "jsonata" : "jsonpath"}`}
        title={inspection.queryLanguageInherited ? "Inherited from the state machine" : "Set on this state"}
      >
        {language}
        {inspection.queryLanguageInherited ? "" : " ●"}
      </span>
      <button
        type="button"
        className="text-button inspector-simulate"
        aria-label="Simulate data flow"
        title="Run this state alone on an input and see every stage of its data flow"
        onClick={onSimulate}
      >
        Data flow
      </button>
      {folded && diagnostics.length > 0 && (
        <span className={errors > 0 ? "field-problem-error" : "field-problem-warning"}>
          {diagnostics.length} {diagnostics.length === 1 ? "problem" : "problems"}
        </span>
      )}
    </header>
  );
  if (folded) {
    return (
      <section className="inspector inspector-folded" aria-label="Inspector" data-testid="inspector">
        {header}
      </section>
    );
  }
  return (
    <section className="inspector" aria-label="Inspector" data-testid="inspector">
      {header}
      {disabled && (
        <p className="inspector-notice" role="status">
          The text does not parse: fix it in the code view to edit here.
        </p>
      )}
      <Problems diagnostics={stateProblems} />

      <section className="inspector-section" aria-label="General">
        <Row label="Name" htmlFor={id("name")}>
          <TextInput
            id={id("name")}
            label="Name"
            text={inspection.name}
            disabled={disabled}
            // A rename rewrites every reference (Next, Default, rules, catchers, StartAt).
            onCommit={(text) => text.trim() !== "" && onEdit({ kind: "renameState", state, to: text.trim() })}
          />
        </Row>
        <Row label="Type" htmlFor={id("type")} diagnostics={at("Type")}>
          <select
            id={id("type")}
            className="inspector-select"
            aria-label="Type"
            value={stateType}
            disabled={disabled}
            // Rust keeps the fields that still apply and adds the ones the new type needs.
            onChange={(event) => onEdit({ kind: "changeType", state, stateType: event.target.value })}
          >
            {STATE_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </Row>
        <Row label="QueryLanguage" htmlFor={id("language")} diagnostics={at("QueryLanguage")}>
          <select
            id={id("language")}
            className="inspector-select"
            aria-label="QueryLanguage"
            value={inspection.queryLanguageInherited ? "" : language}
            disabled={disabled}
            onChange={(event) =>
              editing.set(child(state, "QueryLanguage"), event.target.value === "" ? undefined : event.target.value)
            }
          >
            <option value="">{inspection.queryLanguageInherited ? `${language} (the machine's)` : "The machine's"}</option>
            <option value="JSONPath">JSONPath</option>
            <option value="JSONata">JSONata</option>
          </select>
        </Row>
        {line("Comment", "string")}
        {hasTransition && (
          <Row label="Next" htmlFor={id("Next")} diagnostics={[...at("Next"), ...at("End")]}>
            <TargetSelect
              id={id("Next")}
              label="Next"
              value={next}
              targets={inspection.targets}
              none="End"
              disabled={disabled}
              onChange={(to) => editing.connect({ kind: "next" }, to)}
            />
          </Row>
        )}
      </section>

      {stateType === "Task" && (
        <section className="inspector-section" aria-label="Task">
          {line("Resource", "string", "arn:aws:states:::lambda:invoke")}
          {line("TimeoutSeconds", "scalar", language === "JSONata" ? "60 or {% … %}" : "60")}
          {line("HeartbeatSeconds", "scalar")}
        </section>
      )}
      {stateType === "Wait" && <WaitFields editing={editing} fields={fields} />}
      {stateType === "Choice" && <ChoiceEditor editing={editing} ruleFields={ruleFields} />}
      {stateType === "Fail" && (
        <section className="inspector-section" aria-label="Fail">
          {["Error", "Cause", "ErrorPath", "CausePath"].filter(allowed).map((f) => line(f, "string"))}
        </section>
      )}
      {stateType === "Map" && (
        <section className="inspector-section" aria-label="Map">
          {allowed("ItemsPath") && line("ItemsPath", "path", "$ (the whole input)")}
          {allowed("Items") && jsonRow("Items", "{% $states.input.items %}")}
          {line("MaxConcurrency", "scalar", "0 (no limit)")}
          {jsonRow("ItemSelector", "{}")}
        </section>
      )}
      {stateType === "Parallel" && (
        <section className="inspector-section" aria-label="Parallel">
          <Row label="Branches" diagnostics={at("Branches")}>
            <span data-testid="branch-count">{Array.isArray(value.Branches) ? value.Branches.length : 0}</span>
          </Row>
        </section>
      )}

      {dataFields.length > 0 && (
        <section className="inspector-section" aria-label="Data flow">
          <h3>
            Data flow <span className="count">{language}</span>
          </h3>
          {dataFields.map((f) => (PATH_FIELDS.has(f) ? line(f, "path", pathHint(f)) : jsonRow(f)))}
        </section>
      )}
      {allowed("Retry") && <RetryEditor editing={editing} />}
      {allowed("Catch") && <CatchEditor editing={editing} catcherFields={inspection.catcherFields} />}

      {others.length > 0 && (
        <section className="inspector-section" aria-label="Other fields">
          <h3>Other fields</h3>
          {others.map((f) =>
            allowed(f) ? (
              jsonRow(f)
            ) : (
              <Row key={f} label={f} diagnostics={at(f)}>
                <span className="muted">not allowed here </span>
                <button
                  type="button"
                  className="inspector-button"
                  disabled={disabled}
                  onClick={() => editing.set(child(state, f), undefined)}
                >
                  Remove
                </button>
              </Row>
            ),
          )}
        </section>
      )}
    </section>
  );
}

function pathHint(field: string): string {
  if (field === "ResultPath") return "$ (default); null discards the result";
  return "$ (default); null gives {}";
}

/** Wait: one of Seconds, Timestamp, SecondsPath, TimestampPath; switching is one edit. */
function WaitFields({ editing, fields }: { editing: Editing; fields: string[] }) {
  const { state, value, set, diagnostics, language, disabled } = editing;
  const field = waitField(value);
  const choices = WAIT_FIELDS.filter((f) => fields.includes(f));
  const pointer = child(state, field);
  return (
    <section className="inspector-section" aria-label="Wait">
      <Row label="Wait for" htmlFor="inspector-wait" diagnostics={WAIT_FIELDS.flatMap((f) => diagnosticsAt(diagnostics, child(state, f)))}>
        <div className="wait-fields">
          <select
            className="inspector-select"
            aria-label="Wait field"
            value={field}
            disabled={disabled}
            onChange={(event) => {
              const to = event.target.value;
              // Renaming the member in place is one edit of the whole state, so one undo step.
              set(state, renameKey(value, field, to, waitDefault(to, language)));
            }}
          >
            {choices.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
          <TextInput
            key={field}
            id="inspector-wait"
            label={field}
            text={scalarText(value[field])}
            disabled={disabled}
            onCommit={(text) => set(pointer, field === "Seconds" ? scalarValue(text) : text.trim() || undefined)}
          />
        </div>
      </Row>
    </section>
  );
}
