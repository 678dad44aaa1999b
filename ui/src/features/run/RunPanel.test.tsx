import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { backend, clearMocks } from "../../test/backend";
import { RunPanel } from "./RunPanel";
import { resetDebugStore, setDebugDocument, toggleBreakpoint } from "./debugStore";
import { fold } from "./liveRun";
import type { ExecutionView, PendingTaskView, RunProgress, StateRunView } from "../../ipc/rpc";
import ordersFail from "./fixtures/parallel-fanout.OrdersFail.history.json";

const SETUP = { sampleInput: '{"n": 1}', testCases: [], mocksSource: null };

function progress(over: Partial<RunProgress>): RunProgress {
  return {
    runId: 1,
    status: "RUNNING",
    events: [],
    lastEventId: 0,
    states: [],
    paused: null,
    pending: [],
    result: null,
    eventsLeft: 0,
    resultEventsStreamed: false,
    ...over,
  };
}

const passed = (name: string, value: string): StateRunView => ({
  name,
  status: "succeeded",
  visits: 1,
  stages: [
    { name: "input", value: "{}" },
    { name: "output", value },
  ],
  error: null,
  cause: null,
});

function result(status: string, states: StateRunView[]): ExecutionView {
  return {
    id: 3,
    name: "run-1",
    status,
    output: "{}",
    error: null,
    cause: null,
    states,
    events: [{ id: 1, type: "ExecutionStarted" }],
    usage: { stateTransitions: 2, durationMs: 0 },
  };
}

/** Renders the panel; `onExecution` keeps what the App would pass back in. */
function panel(selectedState: string | null = null, shown: ExecutionView | null = null) {
  let execution: ExecutionView | null = shown;
  const view = () => (
    <RunPanel
      documentId={1}
      execution={execution}
      onExecution={(e) => {
        execution = e;
        utils.rerender(view());
      }}
      selectedState={selectedState}
    />
  );
  const utils = render(view());
  return utils;
}

beforeEach(() => {
  resetDebugStore();
  setDebugDocument(1);
});

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("RunPanel live runs", () => {
  it("starts paused with the breakpoints, steps, shows the pipeline of the state just run, continues", async () => {
    toggleBreakpoint("B");
    const calls: [string, unknown][] = [];
    let step = 0;
    backend((command, args) => {
      const req = (args as { req: unknown }).req;
      if (command !== "poll_run") calls.push([command, req]);
      if (command === "run_setup") return SETUP;
      if (command === "list_executions") return [];
      if (command === "start_run")
        return progress({ status: "PAUSED", paused: { state: "A", input: "{}", lastState: null } });
      if (command === "control_run") {
        const { action } = req as { action: { kind: string } };
        if (action.kind === "step") step = 1;
        if (action.kind === "continue") step = 2;
        return progress({ status: "RUNNING", states: step >= 1 ? [passed("A", '{"a": 1}')] : [] });
      }
      if (command === "poll_run") {
        if (step === 0) return progress({ status: "PAUSED", paused: { state: "A", input: "{}", lastState: null } });
        if (step === 1)
          return progress({
            status: "PAUSED",
            lastEventId: 3,
            events: [{ id: 1 }, { id: 2 }, { id: 3 }],
            states: [passed("A", '{"a": 1}')],
            paused: { state: "B", input: '{"a": 1}', lastState: "A" },
          });
        return progress({ status: "SUCCEEDED", result: result("SUCCEEDED", [passed("A", "{}"), passed("B", "{}")]) });
      }
      throw new Error(`unexpected ${command}`);
    });
    panel();
    await screen.findByDisplayValue('{"n": 1}');
    fireEvent.click(screen.getByLabelText("Start paused"));
    fireEvent.change(screen.getByLabelText("Clock"), { target: { value: "x10" } });
    fireEvent.click(screen.getByRole("button", { name: "Start" }));
    expect((await screen.findByTestId("paused-banner")).textContent).toBe("Paused before A");
    expect(calls.find(([c]) => c === "start_run")?.[1]).toEqual({
      documentId: 1,
      input: '{"n": 1}',
      testCase: null,
      clock: { kind: "scaled", speed: 10 },
      startPaused: true,
      name: null,
      express: false,
      liftLimits: false,
      breakpoints: ["B"],
    });

    fireEvent.click(screen.getByRole("button", { name: "Step" }));
    await waitFor(() => expect(screen.getByTestId("paused-banner").textContent).toBe("Paused before B · A just ran"));
    expect(screen.getByTestId("pipeline").textContent).toContain('{"a": 1}');
    expect(screen.getByRole("tab", { name: "State · A" })).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Continue" }));
    await waitFor(() => expect(screen.getByTestId("run-status").textContent).toBe("SUCCEEDED"));
    expect(screen.queryByTestId("paused-banner")).toBeNull();
    expect(calls.filter(([c]) => c === "control_run").map(([, r]) => (r as { action: unknown }).action)).toEqual([
      { kind: "step" },
      { kind: "continue" },
    ]);
  });

  it("lists a waiting callback with its token and sends success, failure and heartbeats", async () => {
    const task: PendingTaskView = {
      id: "tok-1",
      stateName: "Approve",
      resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      taskToken: "tok-1",
      input: '{"token": "tok-1"}',
      heartbeats: 0,
    };
    const answers: unknown[] = [];
    backend((command, args) => {
      const req = (args as { req: unknown }).req;
      if (command === "run_setup") return SETUP;
      if (command === "list_executions") return [];
      if (command === "start_run" || command === "poll_run" || command === "control_run")
        return progress({ pending: [task] });
      if (command === "answer_task") {
        answers.push(req);
        return progress({ pending: [task] });
      }
      throw new Error(`unexpected ${command}`);
    });
    panel();
    await screen.findByDisplayValue('{"n": 1}');
    fireEvent.click(screen.getByRole("button", { name: "Start" }));
    const waiting = await screen.findByRole("region", { name: "Waiting: Approve" });
    expect(waiting.textContent).toContain("tok-1");
    expect(screen.getByRole("tab", { name: "Waiting (1)" }).getAttribute("aria-selected")).toBe("true");

    const output = screen.getByLabelText("Output of Approve");
    fireEvent.change(output, { target: { value: "{not json" } });
    expect((screen.getByRole("button", { name: "Send success" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(output, { target: { value: '{"ok": true}' } });
    fireEvent.click(screen.getByRole("button", { name: "Send success" }));
    fireEvent.click(screen.getByRole("button", { name: "Heartbeat" }));
    fireEvent.change(screen.getByLabelText("Error of Approve"), { target: { value: "Rejected" } });
    fireEvent.change(screen.getByLabelText("Cause of Approve"), { target: { value: "no stock" } });
    fireEvent.click(screen.getByRole("button", { name: "Send failure" }));
    await waitFor(() => expect(answers.length).toBe(3));
    const replies = answers.map((a) => (a as { taskId: string; reply: unknown }).reply);
    expect(replies).toEqual([
      { kind: "success", output: '{"ok": true}' },
      { kind: "heartbeat" },
      { kind: "failure", error: "Rejected", cause: "no stock" },
    ]);
    expect((answers[0] as { taskId: string }).taskId).toBe("tok-1");
  });

  it("runs to the state selected on the canvas and stops", async () => {
    const actions: unknown[] = [];
    backend((command, args) => {
      const req = (args as { req: { action?: unknown } }).req;
      if (command === "run_setup") return SETUP;
      if (command === "list_executions") return [];
      if (command === "control_run") {
        actions.push(req.action);
        if ((req.action as { kind: string }).kind === "stop")
          return progress({ status: "ABORTED", result: result("ABORTED", []) });
      }
      return progress({ status: "PAUSED", paused: { state: "A", input: "{}", lastState: null } });
    });
    panel("C");
    await screen.findByDisplayValue('{"n": 1}');
    fireEvent.click(screen.getByRole("button", { name: "Start" }));
    await screen.findByTestId("paused-banner");
    fireEvent.click(screen.getByRole("button", { name: "Run to here" }));
    fireEvent.click(screen.getByRole("button", { name: "Stop" }));
    await waitFor(() => expect(screen.getByTestId("run-status").textContent).toBe("ABORTED"));
    expect(actions).toEqual([{ kind: "runTo", state: "C" }, { kind: "stop" }]);
  });
});

describe("RunPanel run views", () => {
  it("shows the run's events, its visits as a table that selects states, and its timeline", async () => {
    backend((command) => {
      if (command === "run_setup") return SETUP;
      if (command === "list_executions") return [];
      throw new Error(`unexpected ${command}`);
    });
    const execution = { ...result("FAILED", []), events: ordersFail.events };
    const selected: string[] = [];
    render(
      <RunPanel
        documentId={1}
        execution={execution}
        onExecution={() => undefined}
        selectedState={null}
        onSelectState={(name) => selected.push(name)}
        branchOfState={new Map([["Get orders", 1]])}
      />,
    );
    await screen.findByDisplayValue('{"n": 1}');
    fireEvent.click(screen.getByRole("tab", { name: "Events (16)" }));
    expect(screen.getByRole("table", { name: "Events" }).textContent).toContain("ParallelStateFailed");

    fireEvent.click(screen.getByRole("tab", { name: "Table" }));
    const orders = screen.getAllByRole("row").find((r) => r.textContent?.startsWith("Get orders")) as HTMLElement;
    expect(orders.textContent).toContain("Parallel Look up › branch 1");
    fireEvent.click(orders);
    expect(selected).toEqual(["Get orders"]);

    fireEvent.click(screen.getByRole("tab", { name: "Timeline" }));
    expect(screen.getByRole("list", { name: "Timeline" }).textContent).toContain("Orders unavailable");
    expect(screen.getByRole("tab", { name: "Timeline" }).getAttribute("aria-selected")).toBe("true");
  });
});

describe("live run reports", () => {
  it("keep each event once when a poll and a command overlap, and take the final history at the end", () => {
    const first = fold(null, progress({ events: [{ id: 1 }, { id: 2 }], lastEventId: 2 }));
    const overlap = fold(first, progress({ events: [{ id: 2 }, { id: 3 }], lastEventId: 3 }));
    expect(overlap.events.map((e) => e.id)).toEqual([1, 2, 3]);
    const stale = fold(overlap, progress({ events: [], lastEventId: 2, status: "PAUSED" }));
    expect(stale.progress.status).toBe("RUNNING");
    const done = fold(overlap, progress({ status: "SUCCEEDED", result: result("SUCCEEDED", []) }));
    expect(done.events).toEqual([{ id: 1, type: "ExecutionStarted" }]);
  });

  it("keep breakpoints per document", () => {
    expect([...toggleBreakpoint("A")]).toEqual(["A"]);
    setDebugDocument(2);
    expect([...toggleBreakpoint("B")]).toEqual(["B"]);
    setDebugDocument(1);
    expect([...toggleBreakpoint("A")]).toEqual([]);
  });
});

describe("RunPanel runs as files, names and redrives", () => {
  it("sends the name, the workflow type and the lifted limits with the start", async () => {
    const starts: unknown[] = [];
    backend((command, args) => {
      const req = (args as { req: unknown }).req;
      if (command === "run_setup") return SETUP;
      if (command === "list_executions") return [];
      if (command === "start_run") {
        starts.push(req);
        return progress({ status: "SUCCEEDED", result: result("SUCCEEDED", []) });
      }
      if (command === "poll_run") return progress({ status: "SUCCEEDED", result: result("SUCCEEDED", []) });
      return null;
    });
    panel();
    await screen.findByDisplayValue('{"n": 1}');
    fireEvent.change(screen.getByLabelText("Execution name"), { target: { value: " nightly-7 " } });
    fireEvent.change(screen.getByLabelText("Workflow type"), { target: { value: "EXPRESS" } });
    fireEvent.click(screen.getByLabelText("Lift AWS limits"));
    fireEvent.click(screen.getByRole("button", { name: "Start" }));
    await waitFor(() => expect(starts).toHaveLength(1));
    expect(starts[0]).toMatchObject({ name: "nightly-7", express: true, liftLimits: true });
  });

  it("redrives a recorded failed run and exports it through the save dialog", async () => {
    const calls: [string, unknown][] = [];
    const failed = { ...result("FAILED", []), error: "Busy" };
    backend((command, args) => {
      const req = (args as { req: unknown }).req;
      calls.push([command, req]);
      if (command === "run_setup") return SETUP;
      if (command === "list_executions") return [];
      if (command === "choose_save_path") return "/tmp/run-1.execution.json";
      if (command === "export_execution") return "/tmp/run-1.execution.json";
      if (command === "redrive_run" || command === "poll_run")
        return progress({ status: "SUCCEEDED", result: result("SUCCEEDED", []) });
      return null;
    });
    panel(null, failed);
    fireEvent.click(await screen.findByRole("button", { name: "Export run" }));
    await screen.findByText("Saved run-1 to /tmp/run-1.execution.json");
    expect(calls.find(([c]) => c === "export_execution")?.[1]).toEqual({ id: 3, path: "/tmp/run-1.execution.json" });
    expect(calls.find(([c]) => c === "choose_save_path")?.[1]).toEqual({ suggestedName: "run-1.execution.json" });

    fireEvent.click(screen.getByRole("button", { name: "Redrive" }));
    await waitFor(() => expect(screen.getByTestId("run-status").textContent).toBe("SUCCEEDED"));
    expect(calls.find(([c]) => c === "redrive_run")?.[1]).toMatchObject({ documentId: 1, id: 3 });
    expect(screen.queryByRole("button", { name: "Redrive" })).toBeNull();
  });
});

describe("fold, for a long run's reports", () => {
  it("keeps the reported events as the final history when the result leaves them out", () => {
    const first = fold(null, progress({ events: [{ id: 1 }, { id: 2 }], lastEventId: 2, eventsLeft: 1 }));
    const final = result("SUCCEEDED", []);
    const last = fold(
      first,
      progress({ events: [{ id: 3 }], lastEventId: 3, result: { ...final, events: [] }, resultEventsStreamed: true }),
    );
    expect(last.events.map((e) => e.id)).toEqual([1, 2, 3]);
    expect(last.progress.result?.events.map((e) => e.id)).toEqual([1, 2, 3]);
  });
});
