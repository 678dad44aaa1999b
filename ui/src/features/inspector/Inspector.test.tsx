import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { EditorView } from "@codemirror/view";
import choice from "../../../../tests/ui-fixtures/hello-world.inspect-choice.json";
import type { DiagnosticView, EditRequest, StateInspection } from "../../ipc/rpc";
import { backend } from "../../test/backend";
import { Inspector } from "./Inspector";

afterEach(() => {
  cleanup();
  clearMocks();
});

const TASK_FIELDS = [
  "Type", "Comment", "QueryLanguage", "Next", "End", "InputPath", "OutputPath", "Assign", "Parameters",
  "ResultPath", "ResultSelector", "Retry", "Catch", "Resource", "TimeoutSeconds", "TimeoutSecondsPath",
  "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials",
];

function problem(path: string, message: string): DiagnosticView {
  return { severity: "error", code: "SW101", message, path, range: { start: { line: 0, column: 0 }, end: { line: 0, column: 1 } } };
}

function task(overrides: Partial<StateInspection> = {}): StateInspection {
  return {
    pointer: "/States/Call",
    name: "Call",
    stateType: "Task",
    queryLanguage: "JSONPath",
    queryLanguageInherited: true,
    value: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: "f" },
      TimeoutSeconds: 10,
      Retry: [
        { ErrorEquals: ["States.Timeout"], MaxAttempts: 2 },
        { ErrorEquals: ["States.ALL"] },
      ],
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed", ResultPath: "$.error" }],
      Next: "Done",
    },
    fields: TASK_FIELDS,
    catcherFields: ["ErrorEquals", "Next", "ResultPath", "Assign", "Comment"],
    targets: ["Call", "Done", "Failed"],
    diagnostics: [],
    editable: true,
    revision: 3,
    ...overrides,
  };
}

/** Renders the inspector for one answer to inspect_state, and records the edits it sends. */
async function inspect(inspection: StateInspection | null, ruleFields: string[] = []) {
  const asked: unknown[] = [];
  backend((command, args) => {
    if (command === "inspect_state") {
      asked.push(args);
      return inspection;
    }
    throw new Error(`unexpected command ${command}`);
  });
  const edits: EditRequest[] = [];
  const onEdit = vi.fn((edit: EditRequest) => void edits.push(edit));
  const view = render(
    <Inspector documentId={0} revision={3} stateId={inspection?.pointer ?? "/States/Gone"} ruleFields={ruleFields} onEdit={onEdit} />,
  );
  if (inspection) {
    await waitFor(() => expect(document.querySelector(".inspector-name")?.textContent).toBe(inspection.name), {
      timeout: 5000,
    });
    // The JSON editors are built in an effect that React may run after the form is on screen
    // (passive effects of a commit outside act): wait until every editor host holds its editor.
    await waitFor(
      () => expect(document.querySelectorAll(".json-field-editor:not(:has(> .cm-editor))").length).toBe(0),
      { timeout: 5000 },
    );
  }
  return { asked, edits, view };
}

/** Types into a CodeMirror editor found by its label, as the user would (one replacement). */
function typeInto(label: string, text: string) {
  const content = screen.getByLabelText(label);
  const view = EditorView.findFromDOM(content);
  if (!view) throw new Error(`no editor ${label}`);
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  return content;
}

describe("Inspector", () => {
  it("asks Rust for the selected state and says when nothing is selected", async () => {
    const { asked } = await inspect(task());
    expect(asked).toEqual([{ req: { documentId: 0, state: "/States/Call" } }]);
    cleanup();
    backend(() => null);
    render(<Inspector documentId={0} revision={0} stateId={null} ruleFields={[]} onEdit={() => undefined} />);
    expect(screen.getByTestId("inspector").textContent).toContain("Select a state");
    cleanup();
    await inspect(null);
    await waitFor(() => expect(screen.getByTestId("inspector").textContent).toContain("Not a state that can be edited"));
  });

  it("shows a ${Name} Resource as a placeholder filled in at deploy time, with no problem", async () => {
    await inspect(task({ value: { ...task().value, Resource: "${ProcessFunctionArn}" } }));
    const resource = screen.getByLabelText("Resource") as HTMLInputElement;
    expect(resource.value).toBe("${ProcessFunctionArn}");
    const chip = resource.closest(".inspector-control")?.querySelector(".placeholder-chip");
    expect(chip?.textContent).toBe("${ProcessFunctionArn}");
    expect(chip?.getAttribute("title")).toContain("deploy time");
    expect(document.querySelector(".field-problems")).toBeNull();
  });

  it("applies a Task's TimeoutSeconds as a number on blur, and removes it when emptied", async () => {
    const { edits } = await inspect(task());
    const timeout = screen.getByLabelText("TimeoutSeconds") as HTMLInputElement;
    expect(timeout.value).toBe("10");
    fireEvent.change(timeout, { target: { value: "30" } });
    expect(edits).toEqual([]);
    fireEvent.blur(timeout);
    expect(edits).toEqual([{ kind: "setField", pointer: "/States/Call/TimeoutSeconds", value: 30 }]);
    fireEvent.change(timeout, { target: { value: "" } });
    fireEvent.keyDown(timeout, { key: "Enter" });
    expect(edits[1]).toEqual({ kind: "setField", pointer: "/States/Call/TimeoutSeconds" });
  });

  it("shows the JSONPath data fields of a JSONPath state and the JSONata ones of a JSONata state", async () => {
    await inspect(task());
    // The JSON editors are built in an effect, after the form itself.
    expect(await screen.findByLabelText("Parameters")).toBeTruthy();
    expect(screen.getByLabelText("ResultPath")).toBeTruthy();
    expect(screen.queryByLabelText("Arguments")).toBeNull();
    expect(screen.getByLabelText("Catcher 1 ResultPath")).toBeTruthy();
    cleanup();
    clearMocks();
    const jsonataFields = TASK_FIELDS.filter(
      (f) => !["InputPath", "OutputPath", "Parameters", "ResultPath", "ResultSelector", "TimeoutSecondsPath", "HeartbeatSecondsPath"].includes(f),
    ).concat(["Arguments", "Output"]);
    const { edits } = await inspect(
      task({
        queryLanguage: "JSONata",
        queryLanguageInherited: false,
        fields: jsonataFields,
        catcherFields: ["ErrorEquals", "Next", "Output", "Assign", "Comment"],
        value: { Type: "Task", QueryLanguage: "JSONata", Resource: "r", Arguments: "{% $states.input %}", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }], End: true },
      }),
    );
    expect(screen.getByText("JSONata ●")).toBeTruthy();
    expect(await screen.findByLabelText("Arguments")).toBeTruthy();
    expect(screen.getByLabelText("Output")).toBeTruthy();
    expect(screen.queryByLabelText("Parameters")).toBeNull();
    expect(screen.getByLabelText("Catcher 1 Output")).toBeTruthy();
    expect(screen.queryByLabelText("Catcher 1 ResultPath")).toBeNull();
    // A JSONata expression is shown and typed bare, and applied as its JSON string.
    const args = screen.getByLabelText("Arguments");
    expect(EditorView.findFromDOM(args)?.state.doc.toString()).toBe("{% $states.input %}");
    fireEvent.blur(typeInto("Arguments", "{% $merge([$states.input, {'n': 1}]) %}"));
    expect(edits.pop()).toEqual({ kind: "setField", pointer: "/States/Call/Arguments", value: "{% $merge([$states.input, {'n': 1}]) %}" });
  });

  it("applies a JSON field only when it parses, and keeps a broken draft with its error", async () => {
    const { edits } = await inspect(task());
    const content = typeInto("Parameters", '{"FunctionName": ');
    fireEvent.blur(content);
    expect(edits).toEqual([]);
    expect(screen.getByRole("alert").textContent).toContain("Not applied");
    expect(EditorView.findFromDOM(content)?.state.doc.toString()).toBe('{"FunctionName": ');
    typeInto("Parameters", '{"FunctionName": "g"}');
    await waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
    fireEvent.blur(content);
    expect(edits).toEqual([{ kind: "setField", pointer: "/States/Call/Parameters", value: { FunctionName: "g" } }]);
  });

  it("shows each diagnostic at its field, in its list item, or at the top", async () => {
    await inspect(
      task({
        diagnostics: [
          problem("/States/Call/TimeoutSeconds", "must be a positive integer"),
          problem("/States/Call/Retry/0/MaxAttempts", "must not be negative"),
          problem("/States/Call", "is unreachable"),
        ],
      }),
    );
    const timeoutRow = screen.getByLabelText("TimeoutSeconds").closest(".inspector-row") as HTMLElement;
    expect(timeoutRow.textContent).toContain("must be a positive integer");
    expect(timeoutRow.className).toContain("row-error");
    expect(screen.getByTestId("retrier-0").textContent).toContain("must not be negative");
    expect(screen.getByTestId("retrier-1").textContent).not.toContain("must not be negative");
    const header = screen.getByTestId("inspector").querySelector(":scope > .field-problems");
    expect(header?.textContent).toContain("is unreachable");
  });

  it("renames the state (every reference follows in Rust), and ignores an empty name", async () => {
    const { edits } = await inspect(task());
    const name = screen.getByLabelText("Name");
    fireEvent.change(name, { target: { value: " " } });
    fireEvent.blur(name);
    expect(edits).toEqual([]);
    fireEvent.change(name, { target: { value: "Invoke " } });
    fireEvent.keyDown(name, { key: "Enter" });
    expect(edits).toEqual([{ kind: "renameState", state: "/States/Call", to: "Invoke" }]);
  });

  it("changes the type and the state's own query language", async () => {
    const { edits } = await inspect(task());
    expect((screen.getByLabelText("QueryLanguage") as HTMLSelectElement).value).toBe("");
    fireEvent.change(screen.getByLabelText("QueryLanguage"), { target: { value: "JSONata" } });
    expect(edits.pop()).toEqual({ kind: "setField", pointer: "/States/Call/QueryLanguage", value: "JSONata" });
    fireEvent.change(screen.getByLabelText("Type"), { target: { value: "Pass" } });
    expect(edits.pop()).toEqual({ kind: "changeType", state: "/States/Call", stateType: "Pass" });
  });

  it("edits Next as a transition: another state connects, End disconnects", async () => {
    const { edits } = await inspect(task());
    const next = screen.getByLabelText("Next") as HTMLSelectElement;
    expect(next.value).toBe("Done");
    fireEvent.change(next, { target: { value: "Failed" } });
    fireEvent.change(next, { target: { value: "" } });
    expect(edits).toEqual([
      { kind: "connect", from: "/States/Call", transition: { kind: "next" }, to: "Failed" },
      { kind: "disconnect", from: "/States/Call", transition: { kind: "next" } },
    ]);
  });

  it("adds, reorders and removes retriers, and edits one retrier's field in place", async () => {
    const { edits } = await inspect(task());
    const retry = task().value.Retry as object[];
    fireEvent.click(screen.getByRole("button", { name: "Move retrier 2 up" }));
    expect(edits.pop()).toEqual({ kind: "setField", pointer: "/States/Call/Retry", value: [retry[1], retry[0]] });
    fireEvent.click(screen.getByRole("button", { name: "+ Add retrier" }));
    const added = edits.pop() as { value: object[] };
    expect(added.value).toHaveLength(3);
    expect(added.value[2]).toMatchObject({ ErrorEquals: ["States.ALL"], MaxAttempts: 3 });
    fireEvent.click(screen.getByRole("button", { name: "Remove retrier 1" }));
    expect(edits.pop()).toEqual({ kind: "setField", pointer: "/States/Call/Retry", value: [retry[1]] });

    const attempts = screen.getByLabelText("Retrier 1 MaxAttempts");
    fireEvent.change(attempts, { target: { value: "5" } });
    fireEvent.blur(attempts);
    expect(edits.pop()).toEqual({ kind: "setField", pointer: "/States/Call/Retry/0/MaxAttempts", value: 5 });
    fireEvent.change(screen.getByLabelText("Retrier 1 JitterStrategy"), { target: { value: "FULL" } });
    expect(edits.pop()).toEqual({ kind: "setField", pointer: "/States/Call/Retry/0/JitterStrategy", value: "FULL" });

    const errors = screen.getByLabelText("Add to Retrier 1 errors");
    fireEvent.change(errors, { target: { value: "States.TaskFailed" } });
    fireEvent.keyDown(errors, { key: "Enter" });
    expect(edits.pop()).toEqual({
      kind: "setField",
      pointer: "/States/Call/Retry/0/ErrorEquals",
      value: ["States.Timeout", "States.TaskFailed"],
    });
    fireEvent.click(within(screen.getByTestId("retrier-0")).getByRole("button", { name: "Remove States.Timeout" }));
    expect(edits.pop()).toEqual({ kind: "setField", pointer: "/States/Call/Retry/0/ErrorEquals", value: [] });
  });

  it("edits catchers: target by connect, ResultPath (null discards), and removing the last removes Catch", async () => {
    const { edits } = await inspect(task());
    fireEvent.change(screen.getByLabelText("Catcher 1 next"), { target: { value: "Done" } });
    expect(edits.pop()).toEqual({ kind: "connect", from: "/States/Call", transition: { kind: "catch", index: 0 }, to: "Done" });
    const resultPath = screen.getByLabelText("Catcher 1 ResultPath");
    fireEvent.change(resultPath, { target: { value: "null" } });
    fireEvent.blur(resultPath);
    expect(edits.pop()).toEqual({ kind: "setField", pointer: "/States/Call/Catch/0/ResultPath", value: null });
    fireEvent.click(screen.getByRole("button", { name: "Remove catcher 1" }));
    expect(edits.pop()).toEqual({ kind: "setField", pointer: "/States/Call/Catch" });
    fireEvent.click(screen.getByRole("button", { name: "+ Add catcher" }));
    expect(edits.pop()).toEqual({
      kind: "setField",
      pointer: "/States/Call/Catch",
      value: [task().value.Catch, { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Done" }].flat(),
    });
  });

  it("edits the example's Choice rules (Rust's fixture): operator, value, next, new rules and Default", async () => {
    const operators = ["BooleanEquals", "IsPresent", "NumericEquals", "StringEquals", "And", "Next", "Variable"];
    const { edits } = await inspect(choice as StateInspection, operators);
    expect((screen.getByLabelText("Rule 1 variable") as HTMLInputElement).value).toBe("$.IsHelloWorldExample");
    expect((screen.getByLabelText("Rule 2 value") as HTMLSelectElement).value).toBe("false");
    expect((screen.getByLabelText("Rule 1 next") as HTMLSelectElement).value).toBe("Yes");
    const at = "/States/Hello World example?";

    fireEvent.change(screen.getByLabelText("Rule 2 value"), { target: { value: "true" } });
    expect(edits.pop()).toEqual({ kind: "setField", pointer: `${at}/Choices/1/BooleanEquals`, value: true });
    fireEvent.change(screen.getByLabelText("Rule 1 operator"), { target: { value: "StringEquals" } });
    expect(edits.pop()).toEqual({
      kind: "setField",
      pointer: `${at}/Choices`,
      value: [
        { Variable: "$.IsHelloWorldExample", StringEquals: "", Next: "Yes" },
        choice.value.Choices[1],
      ],
    });
    fireEvent.change(screen.getByLabelText("Rule 2 next"), { target: { value: "Pass" } });
    expect(edits.pop()).toEqual({ kind: "connect", from: at, transition: { kind: "choice", index: 1 }, to: "Pass" });
    fireEvent.click(screen.getByRole("button", { name: "+ Add rule" }));
    const added = edits.pop() as { value: object[] };
    expect(added.value[2]).toEqual({ Variable: "$.value", BooleanEquals: true, Next: "Pass" });
    fireEvent.change(screen.getByLabelText("Default"), { target: { value: "" } });
    expect(edits.pop()).toEqual({ kind: "disconnect", from: at, transition: { kind: "default" } });
  });

  it("edits a JSONata Choice rule's Condition as text", async () => {
    const jsonata = {
      ...(choice as StateInspection),
      queryLanguage: "JSONata",
      value: { Type: "Choice", Choices: [{ Condition: "{% $states.input.ok %}", Next: "Yes" }], Default: "No" },
    };
    const { edits } = await inspect(jsonata);
    const condition = screen.getByLabelText("Rule 1 condition");
    fireEvent.change(condition, { target: { value: "{% $states.input.n > 1 %}" } });
    fireEvent.blur(condition);
    expect(edits.pop()).toEqual({
      kind: "setField",
      pointer: "/States/Hello World example?/Choices/0/Condition",
      value: "{% $states.input.n > 1 %}",
    });
  });

  it("switches a Wait between Seconds and a path in one edit, and shows Parallel branches", async () => {
    const wait: StateInspection = task({
      pointer: "/States/W",
      name: "W",
      stateType: "Wait",
      fields: ["Type", "Comment", "Next", "End", "Seconds", "Timestamp", "SecondsPath", "TimestampPath"],
      value: { Type: "Wait", Seconds: 3, Next: "Done" },
    });
    const { edits } = await inspect(wait);
    fireEvent.change(screen.getByLabelText("Wait field"), { target: { value: "SecondsPath" } });
    expect(edits.pop()).toEqual({
      kind: "setField",
      pointer: "/States/W",
      value: { Type: "Wait", SecondsPath: "$.seconds", Next: "Done" },
    });
    cleanup();
    await inspect(task({ pointer: "/States/P", name: "P", stateType: "Parallel", fields: ["Type", "Branches", "Next", "End"], value: { Type: "Parallel", Branches: [{}, {}], End: true } }));
    expect(screen.getByTestId("branch-count").textContent).toBe("2");
  });

  it("offers to remove a field the state's query language does not allow, and freezes while the text is broken", async () => {
    const { edits } = await inspect(
      task({
        value: { ...task().value, Output: { a: 1 } },
        diagnostics: [problem("/States/Call/Output", 'field "Output" is only supported for JSONata')],
        editable: false,
      }),
    );
    expect(screen.getByRole("status").textContent).toContain("does not parse");
    expect((screen.getByLabelText("TimeoutSeconds") as HTMLInputElement).disabled).toBe(true);
    const others = screen.getByRole("region", { name: "Other fields" });
    expect(others.textContent).toContain("only supported for JSONata");
    const remove = within(others).getByRole("button", { name: "Remove" }) as HTMLButtonElement;
    expect(remove.disabled).toBe(true);
    expect(edits).toEqual([]);
  });

  it("asks again at each revision and shows the new value", async () => {
    const { view } = await inspect(task());
    backend((command) => (command === "inspect_state" ? task({ value: { ...task().value, TimeoutSeconds: 45 }, revision: 4 }) : null));
    view.rerender(<Inspector documentId={0} revision={4} stateId="/States/Call" ruleFields={[]} onEdit={() => undefined} />);
    await waitFor(() => expect((screen.getByLabelText("TimeoutSeconds") as HTMLInputElement).value).toBe("45"));
  });

  it("folds to its header line, counting the state's problems, and unfolds", async () => {
    await inspect(task({ diagnostics: [problem("/States/Call/TimeoutSeconds", "must be a positive integer")] }));
    fireEvent.click(screen.getByRole("button", { name: "Fold the inspector" }));
    expect(screen.queryByLabelText("TimeoutSeconds")).toBeNull();
    expect(screen.getByTestId("inspector").textContent).toContain("1 problem");
    fireEvent.click(screen.getByRole("button", { name: "Expand the inspector" }));
    expect(screen.getByLabelText("TimeoutSeconds")).toBeTruthy();
  });

  it("lists a type-specific field the query language refuses under Other fields, and a Type problem at the top", async () => {
    const map: StateInspection = task({
      pointer: "/States/M",
      name: "M",
      stateType: "Map",
      queryLanguage: "JSONata",
      fields: ["Type", "Comment", "Next", "End", "Output", "Assign", "Items", "ItemSelector", "MaxConcurrency", "ItemProcessor", "Retry", "Catch"],
      value: { Type: "Map", QueryLanguage: "JSONata", ItemsPath: "$.items", ItemProcessor: {}, End: true },
      diagnostics: [problem("/States/M/ItemsPath", "only JSONPath"), problem("/States/M/ItemProcessor/StartAt", "missing")],
    });
    const { edits } = await inspect(map);
    expect(screen.queryByLabelText("ItemsPath")).toBeNull();
    expect(screen.getByLabelText("Items")).toBeTruthy();
    const others = screen.getByRole("region", { name: "Other fields" });
    expect(others.textContent).toContain("ItemsPath");
    expect(others.textContent).toContain("only JSONPath");
    fireEvent.click(within(others).getByRole("button", { name: "Remove" }));
    expect(edits.pop()).toEqual({ kind: "setField", pointer: "/States/M/ItemsPath" });
    const top = screen.getByTestId("inspector").querySelector(":scope > .field-problems");
    expect(top?.textContent).toContain("missing");
  });

  it("keeps a broken draft when another state is picked, and shows it again on coming back", async () => {
    const done = task({ pointer: "/States/Done", name: "Done", stateType: "Succeed", fields: ["Type", "Comment"], value: { Type: "Succeed" } });
    backend((command, args) => {
      const state = (args as { req: { state: string } }).req.state;
      if (command === "inspect_state") return state === "/States/Done" ? done : task();
      throw new Error(`unexpected command ${command}`);
    });
    const onEdit = vi.fn();
    const shown = (name: string) =>
      waitFor(() => expect(document.querySelector(".inspector-name")?.textContent).toBe(name), { timeout: 5000 });
    const view = render(<Inspector documentId={0} revision={3} stateId="/States/Call" ruleFields={[]} onEdit={onEdit} />);
    await shown("Call");
    fireEvent.blur(typeInto("Parameters", '{"FunctionName": "half'));
    view.rerender(<Inspector documentId={0} revision={3} stateId="/States/Done" ruleFields={[]} onEdit={onEdit} />);
    await shown("Done");
    view.rerender(<Inspector documentId={0} revision={3} stateId="/States/Call" ruleFields={[]} onEdit={onEdit} />);
    await shown("Call");
    const content = screen.getByLabelText("Parameters");
    expect(EditorView.findFromDOM(content)?.state.doc.toString()).toBe('{"FunctionName": "half');
    expect(screen.getByRole("alert").textContent).toContain("Not applied");
    expect(onEdit).not.toHaveBeenCalled();
    // Typing the value back leaves no draft and no error.
    const editor = EditorView.findFromDOM(content);
    editor?.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: '{\n  "FunctionName": "f"\n}' } });
    await waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
  });
});
