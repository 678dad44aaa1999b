import { describe, expect, it } from "vitest";
import { drilledStatuses, drillTargetsOf } from "./drill";
import { deriveVisits } from "./visits";
import mapFail from "./fixtures/map-fail.history.json";
import twoParallels from "./fixtures/two-parallels.history.json";

type History = { events: Record<string, unknown>[] };

describe("drilling into a Map iteration or a Parallel branch", () => {
  const run = deriveVisits((mapFail as History).events);

  it("offers each container's iterations with how each ended", () => {
    const target = drillTargetsOf(run).get("Check");
    // Item 0 went through Fine; item 1 (the value 2) reached Boom and failed the Map, so item 2
    // never started.
    expect(target).toEqual({ kind: "Map", count: 2, statuses: ["succeeded", "failed"] });
  });

  it("colours the states of the chosen iteration by that iteration alone", () => {
    expect(drilledStatuses(run, new Map([["Check", 0]]))).toEqual(
      new Map([
        ["Maybe fail", "succeeded"],
        ["Fine", "succeeded"],
      ]),
    );
    const second = drilledStatuses(run, new Map([["Check", 1]]));
    expect(second.get("Boom")).toBe("failed");
    expect(second.has("Fine")).toBe(false);
    expect(drilledStatuses(run, new Map()).size).toBe(0);
  });

  it("offers a Parallel's branches", () => {
    const parallels = deriveVisits((twoParallels as History).events);
    const targets = drillTargetsOf(parallels);
    const kinds = [...targets.values()].map((t) => t.kind);
    expect(kinds.length).toBeGreaterThan(0);
    expect(kinds.every((k) => k === "Parallel")).toBe(true);
    const [name, target] = [...targets.entries()][0] ?? ["", null];
    expect(target?.count).toBeGreaterThanOrEqual(2);
    const branch = drilledStatuses(parallels, new Map([[name, 1]]));
    expect(branch.size).toBeGreaterThan(0);
    const other = drilledStatuses(parallels, new Map([[name, 0]]));
    expect([...branch.keys()].some((state) => other.has(state))).toBe(false);
  });
});
