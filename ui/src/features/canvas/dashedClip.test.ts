import { describe, expect, it } from "vitest";
import { clipToWindow, windowKey, windowOf } from "./dashedClip";

const view = { left: 0, top: 1000, right: 500, bottom: 1500 };

describe("clipToWindow", () => {
  it("keeps a path inside the window as it is, from offset 0, reaching its end", () => {
    const clipped = clipToWindow("M10 1100L10 1200 L 10,1290Q 10,1300 20,1300L100 1300", view);
    expect(clipped).toEqual({ path: "M10 1100L10 1200L10 1290Q10 1300 20 1300L100 1300", offset: 0, reachesEnd: true });
  });

  it("cuts a long vertical run to the window and carries the cut length as the dash offset", () => {
    const clipped = clipToWindow("M100 0L100 20000", view);
    expect(clipped).toEqual({ path: "M100 1000L100 1500", offset: 1000, reachesEnd: false });
  });

  it("keeps the end (and its arrow) when the path ends inside the window", () => {
    const clipped = clipToWindow("M100 0L100 1190 L 100,1200Q 100,1210 110,1210L400 1210", view);
    expect(clipped.path).toBe("M100 1000L100 1190L100 1200Q100 1210 110 1210L400 1210");
    expect(clipped.offset).toBe(1000);
    expect(clipped.reachesEnd).toBe(true);
  });

  it("draws nothing for a path that never enters the window", () => {
    expect(clipToWindow("M900 0L900 5000", view)).toEqual({ path: "", offset: 0, reachesEnd: false });
  });

  it("starts a new subpath where the path comes back into the window", () => {
    const clipped = clipToWindow("M100 1100L900 1100L900 1400L100 1400", view);
    expect(clipped.path).toBe("M100 1100L500 1100M500 1400L100 1400");
    expect(clipped.offset).toBe(0);
    expect(clipped.reachesEnd).toBe(true);
  });
});

describe("windowKey", () => {
  it("covers the view with two aligned tiles and stays put while the view moves within a tile", () => {
    // A 800×600 pane at zoom 0.5 shows 1600×1200 flow pixels from (2000, 3000).
    const key = windowKey([-1000, -1500, 0.5], 800, 600);
    const window = windowOf(key);
    expect(window.left).toBeLessThanOrEqual(2000);
    expect(window.top).toBeLessThanOrEqual(3000);
    expect(window.right).toBeGreaterThanOrEqual(2000 + 1600);
    expect(window.bottom).toBeGreaterThanOrEqual(3000 + 1200);
    expect(windowKey([-1010, -1490, 0.5], 800, 600)).toBe(key);
  });
});
