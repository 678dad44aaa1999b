import { describe, expect, it } from "vitest";
import { gridTile } from "./DotGrid";

describe("dot grid", () => {
  it("puts the dots on multiples of the gap, wherever the view is", () => {
    // At zoom 1 a tile is 20 px and starts 10 px before a dot: a view at x = 35 has dots at
    // screen x 35 + 20k, so tiles start at 25 + 20k, i.e. at 5 within the first tile.
    expect(gridTile([35, -7, 1])).toEqual({ size: 20, x: 5, y: 3 });
  });

  it("doubles the gap while the dots would be closer than 12 px", () => {
    expect(gridTile([0, 0, 1]).size).toBe(20);
    expect(gridTile([0, 0, 0.6]).size).toBe(12);
    expect(gridTile([0, 0, 0.5]).size).toBe(20);
    expect(gridTile([0, 0, 0.1]).size).toBeCloseTo(16);
  });
});
