import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { EditRequest, StateInspection, TestState, TestStateResult } from "../../ipc/rpc";
import { backend, clearMocks } from "../../test/backend";
import { Simulator } from "./Simulator";

afterEach(() => {
  cleanup();
  clearMocks();
});

const inspection: StateInspection = {
  pointer: "/States/Price",
  name: "Price",
  stateType: "Task",
  queryLanguage: "JSONPath",
  queryLanguageInherited: true,
  value: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", InputPath: "$.order", ResultPath: "$.priced", End: true },
  fields: ["Type", "Resource", "InputPath", "Parameters", "ResultSelector", "ResultPath", "OutputPath", "End"],
  catcherFields: [],
  targets: ["Price"],
  diagnostics: [],
  editable: true,
  revision: 1,
};

function answer(request: TestState): TestStateResult {
  const definition = request.definition as Record<string, unknown>;
  const failed = request.task.kind === "error";
  return {
    status: failed ? "FAILED" : "SUCCEEDED",
    output: failed ? null : "{}",
    nextState: null,
    error: request.task.kind === "error" ? request.task.error : null,
    cause: null,
    stages: [
      { name: "input", value: request.input },
      { name: "afterInputPath", value: JSON.stringify(definition.InputPath ?? "none") },
    ],
    catchIndex: null,
    retryIndex: null,
    retryBackoffIntervalSeconds: null,
  };
}

function open(fromRun: { input: string; result: string | null } | null = null) {
  const requests: TestState[] = [];
  backend((command, args) => {
    if (command !== "test_state") throw new Error(command);
    const request = (args as { req: TestState }).req;
    requests.push(request);
    return answer(request);
  });
  const edits: EditRequest[] = [];
  render(
    <Simulator documentId={3} inspection={inspection} fromRun={fromRun} onEdit={(e) => edits.push(e)} onClose={() => undefined} />,
  );
  return { requests, edits };
}

describe("the data-flow simulator", () => {
  it("runs the state on the last run's input and shows each stage Rust computed", async () => {
    const { requests } = open({ input: '{"order": 1}', result: '{"total": 2}' });
    await screen.findByText("SUCCEEDED");
    expect(requests[0]).toMatchObject({ documentId: 3, state: "/States/Price", input: '{"order": 1}' });
    expect(requests[0]?.task).toEqual({ kind: "result", json: '{"total": 2}' });
    expect(screen.getByTestId("simulator-stages").textContent).toContain('"$.order"');
  });

  it("runs again as a field is edited, with the edit in the state it sends", async () => {
    const { requests } = open();
    await screen.findByText("SUCCEEDED");
    fireEvent.change(screen.getByLabelText("Simulator InputPath"), { target: { value: "$.other" } });
    await waitFor(() => expect(screen.getByTestId("simulator-stages").textContent).toContain('"$.other"'));
    expect(requests.at(-1)?.definition).toMatchObject({ InputPath: "$.other", ResultPath: "$.priced" });
  });

  it("says which field does not parse and sends nothing for it", async () => {
    const { requests } = open();
    await screen.findByText("SUCCEEDED");
    const before = requests.length;
    fireEvent.change(screen.getByLabelText("Simulator Parameters"), { target: { value: "{ nope" } });
    expect((await screen.findByRole("alert")).textContent).toMatch(/^Parameters: /);
    expect(requests.length).toBe(before);
  });

  it("lets the task throw an error", async () => {
    const { requests } = open();
    await screen.findByText("SUCCEEDED");
    fireEvent.click(screen.getByLabelText(/an error/));
    fireEvent.change(screen.getByLabelText("Task error"), { target: { value: "Timeout" } });
    await waitFor(() => expect(screen.getByTestId("simulator-status").textContent).toContain("FAILED · Timeout"));
    expect(requests.at(-1)?.task).toEqual({ kind: "error", error: "Timeout", cause: "" });
  });

  it("applies the changed fields to the document as edits", async () => {
    const { edits } = open();
    await screen.findByText("SUCCEEDED");
    fireEvent.change(screen.getByLabelText("Simulator InputPath"), { target: { value: "" } });
    fireEvent.change(screen.getByLabelText("Simulator OutputPath"), { target: { value: "$.priced" } });
    fireEvent.click(screen.getByRole("button", { name: /Apply to state \(InputPath, OutputPath\)/ }));
    expect(edits).toEqual([
      { kind: "setField", pointer: "/States/Price/InputPath" },
      { kind: "setField", pointer: "/States/Price/OutputPath", value: "$.priced" },
    ]);
  });
});
