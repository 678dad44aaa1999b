import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { VisitsTable } from "./VisitsTable";
import { deriveVisits } from "./visits";
import { syntheticMap } from "./fixtures/synthetic";
import alwaysFails from "./fixtures/retry-backoff.AlwaysFails.history.json";
import ordersFail from "./fixtures/parallel-fanout.OrdersFail.history.json";

afterEach(cleanup);

function rows(): HTMLElement[] {
  return within(screen.getByTestId("visits-scroll")).getAllByRole("row");
}

const cells = (row: HTMLElement) => within(row).getAllByRole("cell").map((c) => c.textContent);

describe("table of state visits", () => {
  it("shows each visit with its scope, status in the legend's colour, time, duration and retries", () => {
    render(<VisitsTable run={deriveVisits(alwaysFails.events)} selectedState={null} />);
    expect(rows().map(cells)).toEqual([
      ["Call flaky service", "", "Caught error · ServiceBusy", "+0 ms", "9.48 s", "4"],
      ["Use cached answer", "", "Succeeded", "+9.48 s", "0 ms", ""],
      ["Done", "", "Succeeded", "+9.48 s", "0 ms", ""],
    ]);
    const status = within(rows()[0] as HTMLElement).getAllByRole("cell")[2] as HTMLElement;
    expect(status.className).toContain("run-caught");
    const retries = within(rows()[0] as HTMLElement).getAllByRole("cell")[5] as HTMLElement;
    expect(retries.title.split("\n")[0]).toBe("Attempt 1: ServiceBusy: try later");
  });

  it("names the Parallel branch and selects the state of a clicked row", () => {
    const selected: string[] = [];
    render(
      <VisitsTable run={deriveVisits(ordersFail.events)} selectedState="Get orders" onSelectState={(n) => selected.push(n)} />,
    );
    const orders = rows()[2] as HTMLElement;
    expect(cells(orders).slice(0, 3)).toEqual(["Get orders", "Parallel Look up › branch 1", "Failed · OrdersDown"]);
    expect(orders.className).toContain("current");
    fireEvent.click(rows()[0] as HTMLElement);
    expect(selected).toEqual(["Look up"]);
  });

  it("opens a visit's input, output, error and retries below its row without selecting it", () => {
    const selected: string[] = [];
    render(<VisitsTable run={deriveVisits(alwaysFails.events)} selectedState={null} onSelectState={(n) => selected.push(n)} />);
    fireEvent.click(screen.getByRole("button", { name: "Data of Call flaky service" }));
    expect(selected).toEqual([]);
    const opened = screen.getByRole("row", { expanded: true }).parentElement as HTMLElement;
    const data = JSON.parse(opened.querySelector("pre")?.textContent ?? "") as Record<string, unknown>;
    expect(data.input).toEqual({ query: "weather" });
    expect([data.error, data.cause]).toEqual(["ServiceBusy", "try later"]);
    expect((data.retries as unknown[]).length).toBe(4);
    expect(parseFloat((rows()[1]?.parentElement as HTMLElement).style.top)).toBeGreaterThan(22 * 2);
  });

  it("renders a window of a Map's 25,000 visits", () => {
    render(<VisitsTable run={deriveVisits(syntheticMap(25_000))} selectedState={null} />);
    expect(rows().length).toBeLessThan(60);
  });
});
