import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import snapshot from "../../../../tests/ui-fixtures/hello-world.snapshot.json";
import type { DocumentSnapshot } from "../../ipc/rpc";
import { CanvasUnderTest } from "./testing";
import { breakpointsOf, resetDebugStore, setDebugDocument, setPausedAt } from "../run/debugStore";

const graph = (snapshot as unknown as DocumentSnapshot).graph;

function canvas(runStatus: Map<string, "running" | "succeeded"> | null = null) {
  return render(<CanvasUnderTest graph={graph} runStatus={runStatus} />);
}

beforeEach(() => {
  resetDebugStore();
  setDebugDocument(7);
});
afterEach(cleanup);

describe("debugger marks on the canvas", () => {
  it("toggles a breakpoint from the node's gutter and shows it", () => {
    canvas();
    const dot = screen.getByRole("button", { name: "Breakpoint on Wait 3 sec" });
    expect(dot.getAttribute("aria-pressed")).toBe("false");
    fireEvent.click(dot);
    expect(dot.getAttribute("aria-pressed")).toBe("true");
    expect(dot.className).toContain("breakpoint-on");
    expect([...breakpointsOf(7)]).toEqual(["Wait 3 sec"]);
    fireEvent.click(dot);
    expect([...breakpointsOf(7)]).toEqual([]);
  });

  it("marks the state a paused run waits before and colours the running one", () => {
    const { container } = canvas(new Map([["Pass", "running"]]));
    act(() => setPausedAt("Hello"));
    expect(container.querySelector('[data-state-name="Hello"]')?.getAttribute("data-paused")).toBe("true");
    expect(container.querySelector('[data-state-name="Pass"]')?.getAttribute("data-run-status")).toBe("running");
    expect(container.querySelectorAll("[data-paused]").length).toBe(1);
  });
});
