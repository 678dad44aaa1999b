import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import snapshot from "../../tests/ui-fixtures/hello-world.snapshot.json";
import { App } from "./App";

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("App", () => {
  it("asks Rust for the launch document and draws its states", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((command, args) => {
      calls.push([command, args]);
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
    mockIPC(() => {
      throw { code: "Io", message: "cannot read /x.asl.json: No such file" };
    });
    render(<App />);
    expect((await screen.findByRole("alert")).textContent).toContain("cannot read /x.asl.json");
  });
});

describe("App editing", () => {
  it("sends undo for the open document and shows the snapshot Rust returns", async () => {
    const calls: string[] = [];
    const undone = { ...snapshot, revision: 2, canUndo: false, canRedo: true, name: "after-undo.asl.json" };
    mockIPC((command) => {
      calls.push(command);
      if (command === "launch_document") return { ...snapshot, revision: 1, canUndo: true };
      if (command === "undo") return undone;
      throw new Error(`unexpected command ${command}`);
    });
    render(<App />);
    const undo = await screen.findByRole("button", { name: "Undo" });
    await waitFor(() => expect((undo as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(undo);
    await waitFor(() => expect(screen.getByTestId("document-name").textContent).toBe("after-undo.asl.json"));
    expect(calls).toEqual(["launch_document", "undo"]);
    expect((screen.getByRole("button", { name: "Redo" }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("shows why Rust refused an edit and keeps the document", async () => {
    mockIPC((command) => {
      if (command === "launch_document") return snapshot;
      if (command === "apply_edit") throw { code: "EditRejected", message: "invalid name: taken" };
      throw new Error(`unexpected command ${command}`);
    });
    render(<App />);
    const add = await screen.findByRole("combobox", { name: "Add a state" });
    fireEvent.change(add, { target: { value: "Pass" } });
    expect((await screen.findByRole("alert")).textContent).toContain("invalid name: taken");
    expect(screen.getByText("Hello World example?")).toBeTruthy();
  });
});
