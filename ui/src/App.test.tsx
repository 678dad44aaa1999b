import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import snapshot from "../../tests/ui-fixtures/hello-world.snapshot.json";
import helloRun from "./features/run/fixtures/hello-world.history.json";
import { App } from "./App";
import { backend } from "./test/backend";

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("App", () => {
  it("asks Rust for the launch document and draws its states", async () => {
    const calls: [string, unknown][] = [];
    backend((command, args) => {
      if (!command.startsWith("plugin:")) calls.push([command, args]);
      if (command === "launch_document") return snapshot;
      throw new Error(`unexpected command ${command}`);
    });
    render(<App />);
    expect(await screen.findByText("Hello World example?")).toBeTruthy();
    expect(screen.getByTestId("document-name").textContent).toBe("hello-world.asl.json");
    expect(document.querySelectorAll(".react-flow__node").length).toBe(snapshot.graph.nodes.length);
    expect(screen.getByTestId("status-bar").textContent).toContain("9 states");
    expect(calls).toEqual([["launch_document", { req: {} }]]);
  });

  it("shows the error when the document cannot be read", async () => {
    backend(
      () => {
        throw { code: "Io", message: "cannot read /x.asl.json: No such file" };
      },
    );
    render(<App />);
    expect((await screen.findByRole("alert")).textContent).toContain("cannot read /x.asl.json");
  });
});

describe("App editing", () => {
  it("sends undo for the open document and shows the snapshot Rust returns", async () => {
    const calls: string[] = [];
    const undone = { ...snapshot, revision: 2, canUndo: false, canRedo: true, name: "after-undo.asl.json" };
    backend(
      (command) => {
        calls.push(command);
        if (command === "launch_document") return { ...snapshot, revision: 1, canUndo: true };
        if (command === "undo") return undone;
        throw new Error(`unexpected command ${command}`);
      },
    );
    render(<App />);
    const undo = await screen.findByRole("button", { name: "Undo" });
    await waitFor(() => expect((undo as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(undo);
    await waitFor(() => expect(screen.getByTestId("document-name").textContent).toBe("after-undo.asl.json"));
    expect(calls).toEqual(["launch_document", "undo"]);
    expect((screen.getByRole("button", { name: "Redo" }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("reloads a file changed on disk at once when there are no unsaved edits", async () => {
    const calls: string[] = [];
    const reloaded = { ...snapshot, revision: 1, name: "reloaded.asl.json" };
    backend(
      (command) => {
        calls.push(command);
        if (command === "launch_document") return snapshot;
        if (command === "reload_document") return reloaded;
        throw new Error(`unexpected command ${command}`);
      },
    );
    render(<App />);
    await screen.findByText("Hello World example?");
    // Emit until the subscription (made once the document is open) has heard it.
    await waitFor(async () => {
      await emit("disk-changed", { documentId: 0, unsavedEdits: false });
      expect(screen.getByTestId("document-name").textContent).toBe("reloaded.asl.json");
    });
  });

  it("asks before reloading over unsaved edits, and before closing with them", async () => {
    const calls: string[] = [];
    backend(
      (command) => {
        calls.push(command);
        if (command === "launch_document") return { ...snapshot, dirty: true };
        if (command === "close_window") return null;
        throw new Error(`unexpected command ${command}`);
      },
    );
    render(<App />);
    await screen.findByText("Hello World example?");
    await waitFor(async () => {
      await emit("disk-changed", { documentId: 0, unsavedEdits: true });
      expect(screen.getByTestId("disk-changed").textContent).toContain("changed on disk");
    });
    expect(calls).not.toContain("reload_document");
    fireEvent.click(screen.getByRole("button", { name: "Keep my edits" }));
    await emit("close-requested", {});
    fireEvent.click(await screen.findByRole("button", { name: "Don't save" }));
    await waitFor(() => expect(calls).toContain("close_window"));
  });

  it("opens a file dropped on the window, and offers recent files", async () => {
    const opened: unknown[] = [];
    backend(
      (command, args) => {
        if (command === "launch_document") return snapshot;
        if (command === "open_document") {
          opened.push(args);
          return { ...snapshot, documentId: 1, name: "dropped.asl.json" };
        }
        throw new Error(`unexpected command ${command}`);
      },
      { recent_files: ["/work/flows/order.asl.json"] },
    );
    render(<App />);
    await screen.findByText("Hello World example?");
    await waitFor(async () => {
      await emit("file-dropped", { path: "/tmp/dropped.asl.json" });
      expect(screen.getByTestId("document-name").textContent).toBe("dropped.asl.json");
    });
    expect(opened[0]).toEqual({ req: { path: "/tmp/dropped.asl.json" } });
    const recent = await screen.findByRole("combobox", { name: "Open a recent file" });
    await waitFor(() => expect(recent.textContent).toContain("order.asl.json"));
  });

  it("shows why Rust refused an edit and keeps the document", async () => {
    backend(
      (command) => {
        if (command === "launch_document") return snapshot;
        if (command === "apply_edit") throw { code: "EditRejected", message: "invalid name: taken" };
        throw new Error(`unexpected command ${command}`);
      },
    );
    render(<App />);
    const add = await screen.findByRole("combobox", { name: "Add a state" });
    fireEvent.change(add, { target: { value: "Pass" } });
    expect((await screen.findByRole("alert")).textContent).toContain("invalid name: taken");
    expect(screen.getByText("Hello World example?")).toBeTruthy();
  });

  it("converts the selected state to JSONata, and shows why when Rust refuses", async () => {
    const calls: unknown[] = [];
    const converted = { ...snapshot, revision: 1, canUndo: true, name: "converted.asl.json" };
    let refuse = false;
    backend((command, args) => {
      if (command === "launch_document") return snapshot;
      if (command === "convert_to_jsonata") {
        calls.push(args);
        if (refuse) {
          throw { code: "EditRejected", message: 'not applicable: InputPath: the path "$..x" uses ".." (deep scan), which has no JSONata equivalent here' };
        }
        return converted;
      }
      throw new Error(`unexpected command ${command}`);
    });
    render(<App />);
    const convert = await screen.findByRole("button", { name: "Convert to JSONata" });
    expect((convert as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(await screen.findByText("Hello World example?"));
    await waitFor(() => expect((convert as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(convert);
    await waitFor(() => expect(screen.getByTestId("document-name").textContent).toBe("converted.asl.json"));
    expect(calls).toEqual([{ req: { documentId: 0, state: "/States/Hello World example?" } }]);

    refuse = true;
    fireEvent.click(screen.getByText("Hello World example?"));
    fireEvent.click(convert);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain('Cannot convert "Hello World example?" to JSONata');
    expect(alert.textContent).toContain("InputPath");
    expect(screen.getByTestId("document-name").textContent).toBe("converted.asl.json");
  });

  it("opens a state clicked on the canvas in the inspector, and sends its edits to Rust", async () => {
    const calls: [string, unknown][] = [];
    const wait = "/States/Wait 3 sec";
    backend((command, args) => {
      calls.push([command, args]);
      if (command === "launch_document") return snapshot;
      if (command === "inspect_state")
        return {
          pointer: wait,
          name: "Wait 3 sec",
          stateType: "Wait",
          queryLanguage: "JSONPath",
          queryLanguageInherited: true,
          value: { Type: "Wait", Seconds: 3, Next: "Parallel State" },
          fields: ["Type", "Comment", "QueryLanguage", "Next", "End", "Seconds", "Timestamp", "SecondsPath", "TimestampPath"],
          catcherFields: [],
          targets: ["Pass", "Parallel State"],
          diagnostics: [],
          editable: true,
          revision: 0,
        };
      if (command === "apply_edit") return { ...snapshot, revision: 1, canUndo: true };
      throw new Error(`unexpected command ${command}`);
    });
    render(<App />);
    await screen.findByText("Hello World example?");
    expect(screen.getByTestId("inspector").textContent).toContain("Select a state");
    const node = document.querySelector(`.react-flow__node[data-id="${wait}"]`) as HTMLElement;
    fireEvent.click(node);
    const seconds = (await screen.findByLabelText("Seconds")) as HTMLInputElement;
    expect(seconds.value).toBe("3");
    fireEvent.change(seconds, { target: { value: "5" } });
    fireEvent.blur(seconds);
    await waitFor(() =>
      expect(calls).toContainEqual([
        "apply_edit",
        { req: { documentId: 0, edit: { kind: "setField", pointer: `${wait}/Seconds`, value: 5 } } },
      ]),
    );
  });

  it("selects on the canvas a state clicked in the run's table, its Parallel branch named from the graph", async () => {
    const inspected: unknown[] = [];
    backend((command, args) => {
      const req = (args as { req?: unknown } | undefined)?.req;
      if (command === "launch_document") return snapshot;
      if (command === "run_setup") return { sampleInput: "{}", testCases: [], mocksSource: null };
      if (command === "list_executions") return [];
      if (command === "start_run") {
        const result = {
          id: null,
          name: "local",
          status: "SUCCEEDED",
          output: "{}",
          error: null,
          cause: null,
          states: [],
          events: helloRun.events,
          usage: { stateTransitions: 9, durationMs: 0 },
        };
        return { runId: 1, status: "SUCCEEDED", events: [], lastEventId: 18, states: [], paused: null, pending: [], result };
      }
      if (command === "inspect_state") {
        inspected.push((req as { state: string }).state);
        return null;
      }
      if (command.startsWith("plugin:")) return null;
      throw new Error(`unexpected command ${command}`);
    });
    render(<App />);
    await screen.findByText("Hello World example?");
    fireEvent.click(screen.getByRole("button", { name: "Run" }));
    fireEvent.click(await screen.findByRole("button", { name: "Start" }));
    fireEvent.click(await screen.findByRole("tab", { name: "Table" }));
    const world = screen.getAllByRole("row").find((r) => r.textContent?.startsWith("World")) as HTMLElement;
    expect(world.textContent).toContain("Parallel Parallel State › branch 1");
    fireEvent.click(world);
    await waitFor(() => expect(inspected).toContain("/States/Parallel State/Branches/1/States/World"));
  });
});
