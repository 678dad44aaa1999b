import { describe, expect, it } from "vitest";
import { gridTile } from "./DotGrid";

describe("dot grid", () => {
  it("puts the dots on multiples of the gap, wherever the view is", () => {
    // At zoom 1 dots are 20 px apart: a view at x = 35 has dots at screen x 35 + 20k, the
    // first at 15; at y = -7, at 13.
    expect(gridTile([35, -7, 1])).toEqual({ size: 20, x: 15, y: 13 });
  });

  it("doubles the gap while the dots would be closer than 12 px", () => {
    expect(gridTile([0, 0, 1]).size).toBe(20);
    expect(gridTile([0, 0, 0.6]).size).toBe(12);
    expect(gridTile([0, 0, 0.5]).size).toBe(20);
    expect(gridTile([0, 0, 0.1]).size).toBeCloseTo(16);
  });
});
