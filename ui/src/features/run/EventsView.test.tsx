import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { EventsView, detailsText } from "./EventsView";
import { deriveVisits } from "./visits";
import { syntheticMap } from "./fixtures/synthetic";
import saga from "./fixtures/saga.PaymentFails.history.json";
import thirdTry from "./fixtures/retry-backoff.SucceedsOnThirdTry.history.json";

afterEach(cleanup);

function show(events: Record<string, unknown>[]) {
  render(<EventsView events={events} run={deriveVisits(events)} />);
  return screen.getByTestId("events-scroll");
}

/** The rendered rows' cells, as text. */
function rows(): string[][] {
  return within(screen.getByTestId("events-scroll"))
    .getAllByRole("row")
    .map((row) => within(row).getAllByRole("cell").map((cell) => cell.textContent ?? ""));
}

describe("events view", () => {
  it("lists id, type, the state each event belongs to, elapsed time and timestamp", () => {
    show(thirdTry.events);
    expect(rows().slice(0, 6)).toEqual([
      ["1", "ExecutionStarted", "", "0 ms", "2024-01-01T00:00:00.000Z"],
      ["2", "TaskStateEntered", "Call flaky service", "0 ms", "2024-01-01T00:00:00.000Z"],
      ["3", "TaskScheduled", "Call flaky service", "0 ms", "2024-01-01T00:00:00.000Z"],
      ["4", "TaskStarted", "Call flaky service", "0 ms", "2024-01-01T00:00:00.000Z"],
      ["5", "TaskFailed", "Call flaky service", "0 ms", "2024-01-01T00:00:00.000Z"],
      ["6", "TaskScheduled", "Call flaky service", "1418 ms", "2024-01-01T00:00:01.418Z"],
    ]);
  });

  it("filters by type, by state and by text in the details", () => {
    show(saga.events);
    const type = screen.getByLabelText("Event type") as HTMLSelectElement;
    expect([...type.options].map((o) => o.value)).toContain("TaskFailed");
    fireEvent.change(type, { target: { value: "TaskStateEntered" } });
    expect(rows().map((r) => r[2])).toEqual([
      "Reserve flight",
      "Reserve car",
      "Process payment",
      "Cancel car",
      "Cancel flight",
    ]);
    fireEvent.change(type, { target: { value: "" } });
    fireEvent.change(screen.getByLabelText("Event state"), { target: { value: "Process payment" } });
    expect(rows().map((r) => r[1])).toEqual([
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskFailed",
      "TaskStateExited",
    ]);
    fireEvent.change(screen.getByLabelText("Event state"), { target: { value: "" } });
    fireEvent.change(screen.getByLabelText("Search event details"), { target: { value: "card EXPIRED" } });
    // The cause, then the error output the Catch passed on.
    expect(rows().map((r) => r[1])).toEqual([
      "TaskFailed",
      "TaskStateExited",
      "TaskStateEntered",
      "TaskStateExited",
      "TaskStateEntered",
      "TaskStateExited",
      "FailStateEntered",
    ]);
    expect(screen.getByText("7 of 28 events")).toBeTruthy();
  });

  it("opens a row to show its details as indented JSON, and keeps it open across filters", () => {
    show(saga.events);
    const failed = screen.getAllByRole("row").find((r) => r.textContent?.includes("TaskFailed")) as HTMLElement;
    fireEvent.click(failed);
    expect(failed.getAttribute("aria-expanded")).toBe("true");
    const details = failed.parentElement?.querySelector("pre")?.textContent ?? "";
    expect(details).toContain('"taskFailedEventDetails": {');
    expect(details).toContain('    "error": "PaymentFailed"');
    // The next row moves down by the opened row's height.
    const next = failed.parentElement?.nextElementSibling as HTMLElement;
    expect(parseFloat(next.style.top)).toBeGreaterThan(parseFloat(failed.parentElement?.style.top ?? "0") + 22);

    fireEvent.change(screen.getByLabelText("Event type"), { target: { value: "TaskFailed" } });
    expect(screen.getByRole("row", { expanded: true }).parentElement?.textContent).toContain("Card expired");
    fireEvent.click(screen.getByRole("row", { expanded: true }));
    expect(screen.queryByRole("row", { expanded: true })).toBeNull();
  });

  it("unfolds the JSON texts of input, output and parameters", () => {
    const text = detailsText(saga.events[2] as Record<string, unknown>);
    expect(text).toContain('"parameters": {\n      "FunctionName"');
  });

  it("renders only a window of 100,000 events and follows the scroll", () => {
    const events = syntheticMap(25_000);
    const scroll = show(events);
    const first = rows();
    expect(first.length).toBeGreaterThan(10);
    expect(first.length).toBeLessThan(60);
    expect(first[0]?.[0]).toBe("1");
    scroll.scrollTop = 22 * 50_000;
    fireEvent.scroll(scroll);
    const ids = rows().map((r) => Number(r[0]));
    expect(ids.length).toBeLessThan(60);
    expect(ids).toContain(50_001);
    expect(Math.min(...ids)).toBeGreaterThan(49_900);
  });
});
