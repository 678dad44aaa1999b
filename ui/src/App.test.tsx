import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
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
