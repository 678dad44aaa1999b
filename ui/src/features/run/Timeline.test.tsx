import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { Timeline, ticks, timelineRows } from "./Timeline";
import { deriveVisits } from "./visits";
import { syntheticMap } from "./fixtures/synthetic";
import interleaved from "./fixtures/interleaved.history.json";
import mapBatch from "./fixtures/map-batch.AllProcessed.history.json";
import thirdTry from "./fixtures/retry-backoff.SucceedsOnThirdTry.history.json";

afterEach(cleanup);

function items(): HTMLElement[] {
  return within(screen.getByTestId("timeline-scroll")).getAllByRole("listitem");
}

describe("timeline", () => {
  it("puts each iteration and branch under a heading after its Map or Parallel", () => {
    const run = deriveVisits(interleaved.events);
    const labels = timelineRows(run).map((row) =>
      row.kind === "scope"
        ? `${"  ".repeat(row.depth)}[${run.scopes[row.scope]?.label}]`
        : `${"  ".repeat(row.depth)}${run.visits[row.visit]?.name}`,
    );
    expect(labels).toEqual([
      "Fan out",
      "  [Parallel Fan out › branch 0]",
      "  Slow",
      "  After slow",
      "  [Parallel Fan out › branch 1]",
      "  Each",
      "    [Map Each › iteration 0]",
      "    Nap",
      "    Done item",
      "    [Map Each › iteration 1]",
      "    Nap",
      "    Done item",
      "    [Map Each › iteration 2]",
      "    Nap",
      "    Done item",
      "Check",
      "  [Map Check › iteration 0]",
      "  Maybe fail",
      "  Boom",
      "Recovered",
    ]);
  });

  it("draws bars on the time axis, coloured by status, with a title naming the visit", () => {
    const selected: string[] = [];
    render(<Timeline run={deriveVisits(interleaved.events)} onSelectState={(name) => selected.push(name)} />);
    const ticks = screen.getAllByText(/ s$|ms$/).map((t) => t.textContent);
    expect(ticks).toEqual(["0 ms", "1 s", "2 s", "3 s", "4 s", "5 s"]);
    const slow = items().find((i) => i.title.startsWith("Slow")) as HTMLElement;
    expect(slow.title).toBe("Slow · Succeeded · 3 s\nParallel Fan out › branch 0");
    const bar = slow.querySelector(".timeline-bar") as HTMLElement;
    expect([bar.style.left, bar.style.width]).toEqual(["0%", "60%"]);
    const boom = items().find((i) => i.title.startsWith("Boom")) as HTMLElement;
    expect(boom.querySelector(".timeline-bar")?.className).toContain("run-failed");
    fireEvent.click(boom);
    fireEvent.keyDown(slow, { key: "Enter" });
    expect(selected).toEqual(["Boom", "Slow"]);
  });

  it("marks each failed attempt that was retried on its bar", () => {
    render(<Timeline run={deriveVisits(thirdTry.events)} />);
    const call = items().find((i) => i.title.startsWith("Call flaky service")) as HTMLElement;
    expect(call.title).toContain("2 retries");
    const marks = [...call.querySelectorAll<HTMLElement>(".timeline-retry")].map((m) => m.style.left);
    expect(marks).toEqual(["0%", `${(1418 / 3282) * 100}%`]);
  });

  it("folds an iteration to its heading and draws an instant run in event order", () => {
    render(<Timeline run={deriveVisits(mapBatch.events)} />);
    expect(screen.getByText(/bars follow the order of events/)).toBeTruthy();
    expect(items().length).toBe(11);
    fireEvent.click(screen.getByRole("button", { name: "▾ Map Process items › iteration 1" }));
    expect(items().length).toBe(9);
    fireEvent.click(screen.getByRole("button", { name: "Fold all" }));
    expect(items().map((i) => i.textContent)).toEqual([
      "Process items",
      "▸ Map Process items › iteration 0",
      "▸ Map Process items › iteration 1",
      "▸ Map Process items › iteration 2",
      "Summarise",
    ]);
  });

  it("renders a window of a Map of 10,000 iterations", () => {
    render(<Timeline run={deriveVisits(syntheticMap(10_000))} />);
    expect(screen.getByText(/10001 visits in 10000 iterations/)).toBeTruthy();
    expect(items().length).toBeLessThan(60);
    const scroll = screen.getByTestId("timeline-scroll");
    scroll.scrollTop = 20 * 15_000;
    fireEvent.scroll(scroll);
    expect(items().some((i) => i.textContent === "▾ Map Big › iteration 7500")).toBe(true);
  });

  it("spaces ticks by 1, 2 or 5 times a power of ten", () => {
    expect(ticks(5000)).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(ticks(9480)).toEqual([0, 2000, 4000, 6000, 8000]);
    expect(ticks(0)).toEqual([0]);
  });
});
