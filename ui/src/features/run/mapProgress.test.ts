import { describe, expect, it } from "vitest";
import { MapProgressCounter, mapProgressOf } from "./mapProgress";

const entered = (id: number, name: string) => ({
  id,
  previousEventId: id - 1,
  type: "MapStateEntered",
  stateEnteredEventDetails: { name, input: "[]" },
});
const started = (id: number, length: number) => ({
  id,
  previousEventId: id - 1,
  type: "MapStateStarted",
  mapStateStartedEventDetails: { length },
});
const iteration = (id: number, kind: string, name: string, index: number) => ({
  id,
  previousEventId: id - 1,
  type: `MapIteration${kind}`,
  [`mapIteration${kind}EventDetails`]: { name, index },
});

describe("map progress", () => {
  it("counts each Map's iterations from its events", () => {
    const events = [
      entered(2, "Each"),
      started(3, 4),
      iteration(4, "Started", "Each", 0),
      iteration(5, "Succeeded", "Each", 0),
      iteration(6, "Started", "Each", 1),
      iteration(7, "Failed", "Each", 1),
      iteration(8, "Started", "Each", 2),
    ];
    expect(mapProgressOf(events).get("Each")).toEqual({ total: 4, succeeded: 1, failed: 1, running: 1 });
  });

  it("starts over when the Map is entered again and ignores other events", () => {
    const events = [
      entered(2, "Each"),
      started(3, 2),
      iteration(4, "Started", "Each", 0),
      iteration(5, "Succeeded", "Each", 0),
      { id: 6, previousEventId: 5, type: "PassStateEntered", stateEnteredEventDetails: { name: "P" } },
      entered(7, "Each"),
      started(8, 3),
    ];
    expect(mapProgressOf(events).get("Each")).toEqual({ total: 3, succeeded: 0, failed: 0, running: 0 });
    expect(mapProgressOf(events).has("P")).toBe(false);
  });
});

describe("MapProgressCounter", () => {
  it("counts a growing history from its new events and starts over for another history", () => {
    const events: Record<string, unknown>[] = [
      { id: 1, previousEventId: 0, type: "MapStateEntered", stateEnteredEventDetails: { name: "Each" } },
      { id: 2, previousEventId: 1, type: "MapStateStarted", mapStateStartedEventDetails: { length: 2 } },
      { id: 3, previousEventId: 2, type: "MapIterationStarted", mapIterationStartedEventDetails: { name: "Each", index: 0 } },
    ];
    const counter = new MapProgressCounter();
    const first = counter.update(events);
    expect(first.get("Each")).toEqual({ total: 2, succeeded: 0, failed: 0, running: 1 });
    const more = [
      ...events,
      { id: 4, previousEventId: 3, type: "MapIterationSucceeded", mapIterationSucceededEventDetails: { name: "Each", index: 0 } },
    ];
    const second = counter.update(more);
    expect(second.get("Each")).toEqual({ total: 2, succeeded: 1, failed: 0, running: 0 });
    expect(first.get("Each")).toEqual({ total: 2, succeeded: 0, failed: 0, running: 1 });
    expect(second).toEqual(mapProgressOf(more));
    const other = counter.update(events.slice(0, 2).map((e) => ({ ...e })));
    expect(other.get("Each")).toEqual({ total: 2, succeeded: 0, failed: 0, running: 0 });
  });
});
