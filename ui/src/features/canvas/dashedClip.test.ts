import { describe, expect, it } from "vitest";
import { clipToWindow, nextWindowKey, windowOf } from "./dashedClip";

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

describe("nextWindowKey", () => {
  // A 800×600 pane at zoom 0.5 shows 1600×1200 flow pixels from (2000, 3000).
  const transform = [-1000, -1500, 0.5] as const;
  const contains = (key: string, left: number, top: number, width: number, height: number) => {
    const w = windowOf(key);
    return w.left <= left && w.top <= top && w.right >= left + width && w.bottom >= top + height;
  };

  it("starts with a window around the whole view, a power of two at least the view's side", () => {
    const key = nextWindowKey("", transform, 800, 600);
    expect(contains(key, 2000, 3000, 1600, 1200)).toBe(true);
    expect(key.split(" ")[2]).toBe("2048");
  });

  it("gives the same key for the same view, and keeps it while the view moves inside it", () => {
    const key = nextWindowKey("", transform, 800, 600);
    expect(nextWindowKey(key, transform, 800, 600)).toBe(key);
    expect(nextWindowKey(key, [-1010, -1490, 0.5], 800, 600)).toBe(key);
    // Panned 200 flow pixels right and down: still inside the 4,096-pixel window.
    expect(nextWindowKey(key, [-1100, -1600, 0.5], 800, 600)).toBe(key);
  });

  it("keeps the window through a zoom in about the centre, up to four times the size it needs", () => {
    const key = nextWindowKey("", transform, 800, 600);
    // The view's centre (2800, 3600) held, zoomed to 1.74 and to 1.9: a 460-pixel view, so
    // the 2,048 window is 4× what a 512 window would need.
    for (const zoom of [0.6, 0.9, 1.2, 1.74, 1.9]) {
      expect(nextWindowKey(key, [400 - 2800 * zoom, 300 - 3600 * zoom, zoom], 800, 600)).toBe(key);
    }
    // At zoom 4 the view needs 256: the 2,048 window is replaced by a smaller one around it.
    const zoomedIn = nextWindowKey(key, [400 - 2800 * 4, 300 - 3600 * 4, 4], 800, 600);
    expect(zoomedIn.split(" ")[2]).toBe("256");
    expect(contains(zoomedIn, 2800 - 100, 3600 - 75, 200, 150)).toBe(true);
  });

  it("replaces the window when the view leaves it, by a pan or by zooming out", () => {
    const key = nextWindowKey("", transform, 800, 600);
    const panned = nextWindowKey(key, [-1000 + 3000 * 0.5, -1500, 0.5], 800, 600);
    expect(panned).not.toBe(key);
    expect(contains(panned, -1000, 3000, 1600, 1200)).toBe(true);
    const zoomedOut = nextWindowKey(key, [400 - 2800 * 0.1, 300 - 3600 * 0.1, 0.1], 800, 600);
    expect(contains(zoomedOut, 2800 - 4000, 3600 - 3000, 8000, 6000)).toBe(true);
  });
});
