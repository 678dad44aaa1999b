// The inspector's small controls: a labelled row with the diagnostics of its field, a text input
// that applies on blur or Enter, a transition target select and error-name chips.
import { useId, useState, type ReactNode } from "react";
import type { DiagnosticView } from "../../ipc/rpc";
import { parseErrorNames } from "./model";

/** The diagnostics of one field (or of one list item), under it. */
export function Problems({ diagnostics }: { diagnostics: DiagnosticView[] }) {
  if (diagnostics.length === 0) return null;
  return (
    <ul className="field-problems">
      {diagnostics.map((d, i) => (
        <li key={`${d.code}-${d.path}-${i}`} className={`field-problem field-problem-${d.severity}`} title={d.path}>
          <span className="field-problem-code">{d.code}</span> {d.message}
        </li>
      ))}
    </ul>
  );
}

type RowProps = {
  label: string;
  /** The id of the control the label names. */
  htmlFor?: string;
  diagnostics?: DiagnosticView[];
  children: ReactNode;
};

/** A label, its control, and the diagnostics located at or inside the field. */
export function Row({ label, htmlFor, diagnostics = [], children }: RowProps) {
  const severity = diagnostics.some((d) => d.severity === "error")
    ? " row-error"
    : diagnostics.length > 0
      ? " row-warning"
      : "";
  return (
    <div className={`inspector-row${severity}`}>
      <label className="inspector-label" htmlFor={htmlFor}>
        {label}
      </label>
      <div className="inspector-control">
        {children}
        <Problems diagnostics={diagnostics} />
      </div>
    </div>
  );
}

type TextProps = {
  /** The text shown while nothing is typed. */
  text: string;
  /** Called with the typed text on blur or Enter, when it differs from `text`. */
  onCommit: (text: string) => void;
  label: string;
  id?: string;
  placeholder?: string;
  disabled?: boolean;
  list?: string;
};

/**
 * A one-line input holding a draft: applied on blur or Enter, reverted with Escape. When the
 * value from Rust changes, the input shows it (keeping the focus).
 */
export function TextInput({ text, onCommit, label, id, placeholder, disabled, list }: TextProps) {
  const [draft, setDraft] = useState(text);
  const [base, setBase] = useState(text);
  if (text !== base) {
    setBase(text);
    setDraft(text);
  }
  const commit = () => {
    if (draft !== text) onCommit(draft);
  };
  return (
    <input
      id={id}
      type="text"
      className="inspector-input"
      aria-label={label}
      value={draft}
      placeholder={placeholder}
      disabled={disabled}
      list={list}
      spellCheck={false}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === "Enter") commit();
        if (event.key === "Escape") setDraft(text);
      }}
    />
  );
}

type TargetProps = {
  value: string | null;
  targets: string[];
  onChange: (target: string | null) => void;
  label: string;
  id?: string;
  /** What choosing no target means ("End", "No default"); without it a target is required. */
  none?: string;
  disabled?: boolean;
};

/** A select of the states a transition may go to. */
export function TargetSelect({ value, targets, onChange, label, id, none, disabled }: TargetProps) {
  const known = value === null || targets.includes(value);
  return (
    <select
      id={id}
      className="inspector-select"
      aria-label={label}
      value={value ?? ""}
      disabled={disabled}
      onChange={(event) => onChange(event.target.value === "" ? null : event.target.value)}
    >
      {(none !== undefined || value === null) && <option value="">{none ?? "—"}</option>}
      {!known && <option value={value}>{value} (missing)</option>}
      {targets.map((target) => (
        <option key={target} value={target}>
          {target}
        </option>
      ))}
    </select>
  );
}

/** The errors Step Functions itself raises, offered when typing an error name. */
const KNOWN_ERRORS = [
  "States.ALL",
  "States.TaskFailed",
  "States.Timeout",
  "States.HeartbeatTimeout",
  "States.Permissions",
  "States.ResultPathMatchFailure",
  "States.ParameterPathFailure",
  "States.QueryEvaluationError",
  "States.BranchFailed",
  "States.NoChoiceMatched",
  "States.IntrinsicFailure",
  "States.ExceedToleratedFailureThreshold",
  "States.ItemReaderFailed",
  "States.ResultWriterFailed",
  "States.Runtime",
  "States.DataLimitExceeded",
  "States.Http.Socket",
];

type ErrorNamesProps = {
  names: string[];
  onChange: (names: string[]) => void;
  label: string;
  disabled?: boolean;
};

/** `ErrorEquals` as chips: remove one with its ×, add by typing (commas add several). */
export function ErrorNames({ names, onChange, label, disabled }: ErrorNamesProps) {
  const [draft, setDraft] = useState("");
  const listId = useId();
  const add = () => {
    const added = parseErrorNames(draft).filter((n) => !names.includes(n));
    setDraft("");
    if (added.length > 0) onChange([...names, ...added]);
  };
  return (
    <div className="error-chips" role="group" aria-label={label}>
      {names.map((name, i) => (
        <span key={`${name}-${i}`} className="chip">
          {name}
          <button
            type="button"
            className="chip-remove"
            aria-label={`Remove ${name}`}
            disabled={disabled}
            onClick={() => onChange(names.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </span>
      ))}
      <input
        type="text"
        className="chip-input"
        aria-label={`Add to ${label}`}
        placeholder="Add error…"
        value={draft}
        list={listId}
        disabled={disabled}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={add}
        onKeyDown={(event) => {
          if (event.key === "Enter" || event.key === ",") {
            event.preventDefault();
            add();
          }
        }}
      />
      <datalist id={listId}>
        {KNOWN_ERRORS.filter((e) => !names.includes(e)).map((e) => (
          <option key={e} value={e} />
        ))}
      </datalist>
    </div>
  );
}

/** Up, down and remove buttons of a list item. */
export function ItemButtons({
  index,
  count,
  what,
  onMove,
  onRemove,
  disabled,
}: {
  index: number;
  count: number;
  what: string;
  onMove?: (to: number) => void;
  onRemove: () => void;
  disabled?: boolean;
}) {
  return (
    <span className="item-buttons">
      {onMove && (
        <>
          <button
            type="button"
            className="icon-button"
            aria-label={`Move ${what} ${index + 1} up`}
            title="Move up"
            disabled={disabled || index === 0}
            onClick={() => onMove(index - 1)}
          >
            ↑
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Move ${what} ${index + 1} down`}
            title="Move down"
            disabled={disabled || index === count - 1}
            onClick={() => onMove(index + 1)}
          >
            ↓
          </button>
        </>
      )}
      <button
        type="button"
        className="icon-button"
        aria-label={`Remove ${what} ${index + 1}`}
        title="Remove"
        disabled={disabled}
        onClick={onRemove}
      >
        ×
      </button>
    </span>
  );
}
