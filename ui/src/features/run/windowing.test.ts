import { describe, expect, it } from "vitest";
import { layoutRows, visibleRows } from "./windowing";
import { formatDuration } from "./duration";

describe("windowed rows", () => {
  it("places rows below an opened row lower by its extra height", () => {
    const layout = layoutRows(100, 20, new Map([[3, 100], [10, 50]]));
    expect([0, 3, 4, 10, 11].map(layout.offsetOf)).toEqual([0, 60, 180, 300, 370]);
    expect(layout.heightOf(3)).toBe(120);
    expect(layout.total).toBe(100 * 20 + 150);
    // Inside the opened row's details is still that row.
    expect([0, 19, 60, 179, 180, 369, 370, 5000].map(layout.indexAt)).toEqual([0, 0, 3, 3, 4, 10, 11, 99]);
  });

  it("renders the rows in view and a few either side", () => {
    const layout = layoutRows(100_000, 20);
    const rows = visibleRows(layout, 100_000, 20 * 50_000, 200, 5);
    expect(rows[0]).toBe(49_995);
    expect(rows.at(-1)).toBeLessThanOrEqual(50_016);
    expect(rows.length).toBeLessThan(30);
    expect(visibleRows(layoutRows(0, 20), 0, 0, 200)).toEqual([]);
  });

  it("writes durations from milliseconds to hours", () => {
    expect([0, 418, 1418, 9480, 42_000, 125_000, 12_000_000].map(formatDuration)).toEqual([
      "0 ms",
      "418 ms",
      "1.42 s",
      "9.48 s",
      "42 s",
      "2 min 5 s",
      "3 h 20 min",
    ]);
  });
});
