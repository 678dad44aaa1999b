// The inspector's list editors: Choice rules, retriers and catchers. A change inside one item is
// one `setField` at its pointer (a minimal change to the text); adding, removing and reordering
// set the whole array; a rule's or catcher's target goes through `connect`, like on the canvas.
import { JsonField } from "./JsonField";
import { ErrorNames, ItemButtons, Problems, Row, TargetSelect, TextInput } from "./controls";
import {
  RETRIER_NUMBERS,
  child,
  choiceOperators,
  convertOperand,
  diagnosticsAt,
  itemsOf,
  move,
  newCatcher,
  newRetrier,
  newRule,
  operandKind,
  operandValue,
  pathValue,
  readRule,
  scalarText,
  scalarValue,
  without,
  writeComparison,
  type Json,
  type JsonObject,
} from "./model";
import type { DiagnosticView, TransitionRef } from "../../ipc/rpc";

/** What every part of the form needs to show a field and change it. */
export type Editing = {
  /** The state's pointer. */
  state: string;
  value: JsonObject;
  /** Sets a value at a pointer; undefined removes the member. */
  set: (pointer: string, value: Json | undefined) => void;
  /** Points a transition at a state; null removes it. */
  connect: (transition: TransitionRef, to: string | null) => void;
  diagnostics: DiagnosticView[];
  targets: string[];
  language: string;
  disabled: boolean;
};

/** The first state other than this one: where a new rule or catcher goes. */
function firstTarget(editing: Editing): string | undefined {
  const name = editing.state.split("/").pop()?.replace(/~1/g, "/").replace(/~0/g, "~");
  return editing.targets.find((t) => t !== name) ?? editing.targets[0];
}

export function ChoiceEditor({ editing, ruleFields }: { editing: Editing; ruleFields: string[] }) {
  const { state, value, set, connect, diagnostics, targets, language, disabled } = editing;
  const rules = itemsOf(value.Choices);
  const operators = choiceOperators(ruleFields);
  const pointer = child(state, "Choices");
  const setRules = (next: JsonObject[]) => set(pointer, next);
  return (
    <section className="inspector-section" aria-label="Choice rules">
      <h3>
        Rules <span className="count">{rules.length}</span>
      </h3>
      <ol className="item-list">
        {rules.map((rule, i) => {
          const at = child(pointer, i);
          const form = readRule(rule, operators);
          const next = typeof rule.Next === "string" ? rule.Next : null;
          return (
            <li key={i} className="list-item" data-testid={`rule-${i}`}>
              <div className="list-item-head">
                <span>Rule {i + 1}</span>
                <ItemButtons
                  index={i}
                  count={rules.length}
                  what="rule"
                  disabled={disabled}
                  onMove={(to) => setRules(move(rules, i, to))}
                  onRemove={() => setRules(without(rules, i))}
                />
              </div>
              {form.kind === "comparison" && (
                <div className="rule-comparison">
                  <TextInput
                    label={`Rule ${i + 1} variable`}
                    text={form.variable}
                    placeholder="$.path"
                    disabled={disabled}
                    onCommit={(text) => set(child(at, "Variable"), text)}
                  />
                  <select
                    className="inspector-select"
                    aria-label={`Rule ${i + 1} operator`}
                    value={form.operator}
                    disabled={disabled}
                    onChange={(event) => {
                      const operator = event.target.value;
                      setRules(
                        rules.map((r, j) =>
                          j === i
                            ? writeComparison(r, form.variable, operator, convertOperand(operator, form.operand))
                            : r,
                        ),
                      );
                    }}
                  >
                    {!operators.includes(form.operator) && <option value={form.operator}>{form.operator}</option>}
                    {operators.map((op) => (
                      <option key={op} value={op}>
                        {op}
                      </option>
                    ))}
                  </select>
                  {operandKind(form.operator) === "boolean" ? (
                    <select
                      className="inspector-select"
                      aria-label={`Rule ${i + 1} value`}
                      value={String(form.operand)}
                      disabled={disabled}
                      onChange={(event) => set(child(at, form.operator), event.target.value === "true")}
                    >
                      <option value="true">true</option>
                      <option value="false">false</option>
                    </select>
                  ) : (
                    <TextInput
                      label={`Rule ${i + 1} value`}
                      text={scalarText(form.operand)}
                      disabled={disabled}
                      onCommit={(text) => set(child(at, form.operator), operandValue(form.operator, text))}
                    />
                  )}
                </div>
              )}
              {form.kind === "condition" && (
                <TextInput
                  label={`Rule ${i + 1} condition`}
                  text={scalarText(form.condition)}
                  placeholder="{% $states.input.ok %}"
                  disabled={disabled}
                  onCommit={(text) => set(child(at, "Condition"), text)}
                />
              )}
              {form.kind === "other" && (
                <JsonField
                  pointer={at}
                  label={`Rule ${i + 1}`}
                  value={rule}
                  disabled={disabled}
                  onApply={(v) => set(at, v ?? {})}
                />
              )}
              {form.kind !== "other" &&
                (language === "JSONata" ? (["Assign", "Output"] as const) : (["Assign"] as const)).map((field) => (
                <div key={field} className="rule-json">
                  <span className="inspector-label">{field}</span>
                  <JsonField
                    pointer={child(at, field)}
                    label={`Rule ${i + 1} ${field}`}
                    value={rule[field]}
                    disabled={disabled}
                    onApply={(v) => set(child(at, field), v)}
                  />
                </div>
              ))}
              <div className="rule-next">
                <span className="inspector-label">Next</span>
                <TargetSelect
                  label={`Rule ${i + 1} next`}
                  value={next}
                  targets={targets}
                  disabled={disabled}
                  onChange={(to) => to !== null && connect({ kind: "choice", index: i }, to)}
                />
              </div>
              <Problems diagnostics={diagnosticsAt(diagnostics, at)} />
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="inspector-button"
        disabled={disabled}
        onClick={() => setRules([...rules, newRule(language, firstTarget(editing))])}
      >
        + Add rule
      </button>
      <Problems diagnostics={diagnostics.filter((d) => d.path === pointer)} />
      <Row label="Default" diagnostics={diagnosticsAt(diagnostics, child(state, "Default"))}>
        <TargetSelect
          label="Default"
          value={typeof value.Default === "string" ? value.Default : null}
          targets={targets}
          none="No default"
          disabled={disabled}
          onChange={(to) => connect({ kind: "default" }, to)}
        />
      </Row>
    </section>
  );
}

export function RetryEditor({ editing }: { editing: Editing }) {
  const { state, value, set, diagnostics, disabled } = editing;
  const retriers = itemsOf(value.Retry);
  const pointer = child(state, "Retry");
  const setRetriers = (next: JsonObject[]) => set(pointer, next.length > 0 ? next : undefined);
  return (
    <section className="inspector-section" aria-label="Retry">
      <h3>
        Retry <span className="count">{retriers.length}</span>
      </h3>
      <ol className="item-list">
        {retriers.map((retrier, i) => {
          const at = child(pointer, i);
          const names = Array.isArray(retrier.ErrorEquals) ? retrier.ErrorEquals.map(String) : [];
          return (
            <li key={i} className="list-item" data-testid={`retrier-${i}`}>
              <div className="list-item-head">
                <span>Retrier {i + 1}</span>
                <ItemButtons
                  index={i}
                  count={retriers.length}
                  what="retrier"
                  disabled={disabled}
                  onMove={(to) => setRetriers(move(retriers, i, to))}
                  onRemove={() => setRetriers(without(retriers, i))}
                />
              </div>
              <ErrorNames
                label={`Retrier ${i + 1} errors`}
                names={names}
                disabled={disabled}
                onChange={(next) => set(child(at, "ErrorEquals"), next)}
              />
              <div className="retrier-numbers">
                {RETRIER_NUMBERS.map((field) => (
                  <label key={field} className="number-field">
                    <span>{field.replace("Seconds", " s").replace(/([a-z])([A-Z])/g, "$1 $2")}</span>
                    <TextInput
                      label={`Retrier ${i + 1} ${field}`}
                      text={scalarText(retrier[field])}
                      disabled={disabled}
                      onCommit={(text) => set(child(at, field), scalarValue(text))}
                    />
                  </label>
                ))}
                <label className="number-field">
                  <span>Jitter</span>
                  <select
                    className="inspector-select"
                    aria-label={`Retrier ${i + 1} JitterStrategy`}
                    value={typeof retrier.JitterStrategy === "string" ? retrier.JitterStrategy : ""}
                    disabled={disabled}
                    onChange={(event) =>
                      set(child(at, "JitterStrategy"), event.target.value === "" ? undefined : event.target.value)
                    }
                  >
                    <option value="">—</option>
                    <option value="FULL">FULL</option>
                    <option value="NONE">NONE</option>
                  </select>
                </label>
              </div>
              <Problems diagnostics={diagnosticsAt(diagnostics, at)} />
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="inspector-button"
        disabled={disabled}
        onClick={() => setRetriers([...retriers, newRetrier()])}
      >
        + Add retrier
      </button>
      <Problems diagnostics={diagnostics.filter((d) => d.path === pointer)} />
    </section>
  );
}

export function CatchEditor({ editing, catcherFields }: { editing: Editing; catcherFields: string[] }) {
  const { state, value, set, connect, diagnostics, targets, language, disabled } = editing;
  const catchers = itemsOf(value.Catch);
  const pointer = child(state, "Catch");
  const setCatchers = (next: JsonObject[]) => set(pointer, next.length > 0 ? next : undefined);
  return (
    <section className="inspector-section" aria-label="Catch">
      <h3>
        Catch <span className="count">{catchers.length}</span>
      </h3>
      <ol className="item-list">
        {catchers.map((catcher, i) => {
          const at = child(pointer, i);
          const names = Array.isArray(catcher.ErrorEquals) ? catcher.ErrorEquals.map(String) : [];
          return (
            <li key={i} className="list-item" data-testid={`catcher-${i}`}>
              <div className="list-item-head">
                <span>Catcher {i + 1}</span>
                <ItemButtons
                  index={i}
                  count={catchers.length}
                  what="catcher"
                  disabled={disabled}
                  onMove={(to) => setCatchers(move(catchers, i, to))}
                  onRemove={() => setCatchers(without(catchers, i))}
                />
              </div>
              <ErrorNames
                label={`Catcher ${i + 1} errors`}
                names={names}
                disabled={disabled}
                onChange={(next) => set(child(at, "ErrorEquals"), next)}
              />
              <div className="rule-next">
                <span className="inspector-label">Next</span>
                <TargetSelect
                  label={`Catcher ${i + 1} next`}
                  value={typeof catcher.Next === "string" ? catcher.Next : null}
                  targets={targets}
                  disabled={disabled}
                  onChange={(to) => to !== null && connect({ kind: "catch", index: i }, to)}
                />
              </div>
              {catcherFields.includes("ResultPath") && (
                <div className="rule-next">
                  <span className="inspector-label">ResultPath</span>
                  <TextInput
                    label={`Catcher ${i + 1} ResultPath`}
                    text={scalarText(catcher.ResultPath)}
                    placeholder="$ (the error output replaces the input)"
                    disabled={disabled}
                    onCommit={(text) => set(child(at, "ResultPath"), pathValue(text))}
                  />
                </div>
              )}
              {(["Output", "Assign"] as const)
                .filter((field) => catcherFields.includes(field))
                .map((field) => (
                  <div key={field} className="rule-json">
                    <span className="inspector-label">{field}</span>
                    <JsonField
                      pointer={child(at, field)}
                      label={`Catcher ${i + 1} ${field}`}
                      value={catcher[field]}
                      disabled={disabled}
                      placeholder={field === "Output" ? "{% $states.errorOutput %}" : "absent"}
                      onApply={(v) => set(child(at, field), v)}
                    />
                  </div>
                ))}
              <Problems diagnostics={diagnosticsAt(diagnostics, at)} />
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="inspector-button"
        disabled={disabled}
        onClick={() => setCatchers([...catchers, newCatcher(firstTarget(editing), language)])}
      >
        + Add catcher
      </button>
      <Problems diagnostics={diagnostics.filter((d) => d.path === pointer)} />
    </section>
  );
}
