// Histories written by `stepwise run <definition> --input-file <f> [--mock-config <m> --test-case <c>] --json`
// from assets/templates and the definitions in ./fixtures (see fixtures/README.md).
import { describe, expect, it } from "vitest";
import { branchOfStates, deriveVisits, type RunVisits } from "./visits";
import interleaved from "./fixtures/interleaved.history.json";
import mapBatch from "./fixtures/map-batch.AllProcessed.history.json";
import mapFail from "./fixtures/map-fail.history.json";
import ordersFail from "./fixtures/parallel-fanout.OrdersFail.history.json";
import alwaysFails from "./fixtures/retry-backoff.AlwaysFails.history.json";
import thirdTry from "./fixtures/retry-backoff.SucceedsOnThirdTry.history.json";
import saga from "./fixtures/saga.PaymentFails.history.json";
import { syntheticMap } from "./fixtures/synthetic";
import twoParallels from "./fixtures/two-parallels.history.json";

const START = 1704067200000;

/** The visits as "scope / name: status", the readable form the tests compare. */
function rows(run: RunVisits): string[] {
  return run.visits.map((v) => {
    const scope = run.scopes[v.scope]?.path;
    return `${scope ? `${scope} / ` : ""}${v.name}: ${v.status}`;
  });
}

function visit(run: RunVisits, name: string, scope = "") {
  const found = run.visits.find((v) => v.name === name && run.scopes[v.scope]?.path === scope);
  if (!found) throw new Error(`no visit of ${name} in "${scope}"`);
  return found;
}

describe("state visits", () => {
  it("puts each Map iteration's states in their iteration and names every event's state", () => {
    const run = deriveVisits(mapBatch.events);
    expect(rows(run)).toEqual([
      "Process items: succeeded",
      "Map Process items › iteration 0 / Validate item: succeeded",
      "Map Process items › iteration 0 / Process item: succeeded",
      "Map Process items › iteration 1 / Validate item: succeeded",
      "Map Process items › iteration 1 / Skip item: succeeded",
      "Map Process items › iteration 2 / Validate item: succeeded",
      "Map Process items › iteration 2 / Process item: succeeded",
      "Summarise: succeeded",
    ]);
    expect(run.stateOfEvent[7]).toBe("Process item"); // TaskScheduled
    expect(run.stateOfEvent[27]).toBe("Process items"); // MapStateSucceeded
    expect(run.stateOfEvent[0]).toBe("");
    expect(run.ended).toBe(true);
    expect(visit(run, "Summarise").input).toBeTruthy();
    expect(visit(run, "Summarise").output).toBeTruthy();
  });

  it("follows Parallel branches and Map iterations that the history interleaves by time", () => {
    const run = deriveVisits(interleaved.events);
    expect(rows(run)).toEqual([
      "Fan out: succeeded",
      "Parallel Fan out › branch 0 / Slow: succeeded",
      "Parallel Fan out › branch 1 / Each: succeeded",
      "Parallel Fan out › branch 1 › Map Each › iteration 0 / Nap: succeeded",
      "Parallel Fan out › branch 1 › Map Each › iteration 1 / Nap: succeeded",
      "Parallel Fan out › branch 1 › Map Each › iteration 1 / Done item: succeeded",
      "Parallel Fan out › branch 1 › Map Each › iteration 2 / Nap: succeeded",
      "Parallel Fan out › branch 1 › Map Each › iteration 0 / Done item: succeeded",
      "Parallel Fan out › branch 0 / After slow: succeeded",
      "Parallel Fan out › branch 1 › Map Each › iteration 2 / Done item: succeeded",
      // A Fail state in an iteration fails the Map, whose Catch moves the run on.
      "Check: caught",
      "Map Check › iteration 0 / Maybe fail: succeeded",
      "Map Check › iteration 0 / Boom: failed",
      "Recovered: succeeded",
    ]);
    const nap2 = visit(run, "Nap", "Parallel Fan out › branch 1 › Map Each › iteration 2");
    expect([nap2.enteredMs - START, (nap2.endedMs ?? 0) - START]).toEqual([1000, 5000]);
    expect((visit(run, "Fan out").endedMs ?? 0) - START).toBe(5000);
    expect(run.endMs - run.startMs).toBe(5000);
  });

  it("numbers Parallel branches from the definition when given", () => {
    const run = deriveVisits(interleaved.events, new Map([["Slow", 1], ["Each", 0]]));
    expect(run.scopes[visit(run, "Slow", "Parallel Fan out › branch 1").scope]?.index).toBe(1);
    expect(run.scopes.map((s) => s.path)).toContain("Parallel Fan out › branch 0 › Map Each › iteration 2");
  });

  it("numbers each Parallel's branches on their own and starts them again on a Retry", () => {
    const run = deriveVisits(twoParallels.events);
    expect(rows(run)).toEqual([
      "First: succeeded",
      "Parallel First › branch 0 / A1: succeeded",
      "Parallel First › branch 1 / A2: succeeded",
      "Second: failed",
      "Parallel Second › branch 0 / B1: succeeded",
      "Parallel Second › branch 1 / B2: failed",
      "Parallel Second › branch 0 / B1: succeeded",
      "Parallel Second › branch 1 / B2: failed",
    ]);
    const second = visit(run, "Second");
    expect(second.retries.map((r) => r.atMs - START)).toEqual([0]);
    expect([second.error, (second.endedMs ?? 0) - START]).toEqual(["B2.Broke", 1000]);
  });

  it("reads the branch of each state from the graph's Parallel containers", () => {
    const node = (id: string, name: string, stateType: string, parent: string | null, branch: number | null) => ({
      id,
      name,
      kind: "state",
      stateType,
      parent,
      branch,
    });
    const nodes = [
      node("/States/Fan out", "Fan out", "Parallel", null, null),
      node("/States/Fan out/Branches/0/States/Slow", "Slow", "Wait", "/States/Fan out", 0),
      node("/States/Fan out/Branches/1/States/Each", "Each", "Map", "/States/Fan out", 1),
      node("/States/Fan out/Branches/1/States/Each/ItemProcessor/States/Nap", "Nap", "Wait", "/States/Fan out/Branches/1/States/Each", 0),
    ];
    expect([...branchOfStates(nodes)]).toEqual([
      ["Slow", 0],
      ["Each", 1],
    ]);
  });

  it("counts retries with their errors and the time of each failure", () => {
    const run = deriveVisits(thirdTry.events);
    const call = visit(run, "Call flaky service");
    expect(call.status).toBe("succeeded");
    expect(call.retries.map((r) => [r.error, r.cause, r.atMs - START])).toEqual([
      ["ServiceBusy", "try later", 0],
      ["ServiceBusy", "try later", 1418],
    ]);
    expect(call.error).toBeNull();
    expect(call.durationMs).toBe(3282);
  });

  it("marks a state whose retries ran out and whose Catch moved the run on as caught", () => {
    const run = deriveVisits(alwaysFails.events);
    const call = visit(run, "Call flaky service");
    expect(call.status).toBe("caught");
    expect(call.retries.length).toBe(4);
    expect([call.error, call.cause]).toEqual(["ServiceBusy", "try later"]);
    expect(visit(run, "Use cached answer").status).toBe("succeeded");
  });

  it("gives a failed branch's error to the caught Parallel and the run's error to the Fail state", () => {
    const run = deriveVisits(ordersFail.events);
    expect(rows(run)).toEqual([
      "Look up: caught",
      "Parallel Look up › branch 0 / Get profile: succeeded",
      "Parallel Look up › branch 1 / Get orders: failed",
      "Orders unavailable: failed",
    ]);
    expect(visit(run, "Get orders", "Parallel Look up › branch 1").error).toBe("OrdersDown");
    expect(visit(run, "Look up").error).toBe("OrdersDown");
    expect(visit(run, "Orders unavailable").error).toBe("OrdersUnavailable");
  });

  it("shows a caught Task then the compensations of a saga", () => {
    const run = deriveVisits(saga.events);
    expect(rows(run)).toEqual([
      "Reserve flight: succeeded",
      "Reserve car: succeeded",
      "Process payment: caught",
      "Cancel car: succeeded",
      "Cancel flight: succeeded",
      "Trip not booked: failed",
    ]);
    expect(visit(run, "Process payment").error).toBe("PaymentFailed");
    expect(visit(run, "Trip not booked").cause).toBeTruthy();
  });

  it("fails the Map and its Fail state with the execution's error when nothing catches it", () => {
    const run = deriveVisits(mapFail.events);
    expect(rows(run)).toEqual([
      "Check: failed",
      "Map Check › iteration 0 / Maybe fail: succeeded",
      "Map Check › iteration 0 / Fine: succeeded",
      "Map Check › iteration 1 / Maybe fail: succeeded",
      "Map Check › iteration 1 / Boom: failed",
    ]);
    expect([visit(run, "Check").error, visit(run, "Check").cause]).toEqual(["Item.Bad", "two is bad"]);
    expect(visit(run, "Boom", "Map Check › iteration 1").error).toBe("Item.Bad");
  });

  it("shows the states of a run still going as running, and as cancelled once it is aborted", () => {
    const live = interleaved.events.slice(0, 12);
    const running = deriveVisits(live);
    expect(running.ended).toBe(false);
    expect(rows(running)).toEqual([
      "Fan out: running",
      "Parallel Fan out › branch 0 / Slow: running",
      "Parallel Fan out › branch 1 / Each: running",
      "Parallel Fan out › branch 1 › Map Each › iteration 0 / Nap: running",
      "Parallel Fan out › branch 1 › Map Each › iteration 1 / Nap: succeeded",
      "Parallel Fan out › branch 1 › Map Each › iteration 1 / Done item: running",
    ]);
    const abortedAt = { id: 13, previousEventId: 12, timestamp: 1704067202.5, type: "ExecutionAborted" };
    const aborted = deriveVisits([...live, abortedAt]);
    expect(aborted.visits.map((v) => v.status)).toEqual([
      "cancelled",
      "cancelled",
      "cancelled",
      "cancelled",
      "succeeded",
      "cancelled",
    ]);
    expect((aborted.visits[0]?.endedMs ?? 0) - START).toBe(2500);
  });

  it("accepts ISO timestamps", () => {
    const run = deriveVisits([
      { id: 1, previousEventId: 0, timestamp: "2024-01-01T00:00:00.000Z", type: "ExecutionStarted" },
      {
        id: 2,
        previousEventId: 1,
        timestamp: "2024-01-01T00:00:00.250Z",
        type: "PassStateEntered",
        stateEnteredEventDetails: { name: "P", input: "{}" },
      },
      {
        id: 3,
        previousEventId: 2,
        timestamp: "2024-01-01T00:00:01.000Z",
        type: "PassStateExited",
        stateExitedEventDetails: { name: "P", output: "{}" },
      },
    ]);
    const p = run.visits[0];
    expect([(p?.enteredMs ?? 0) - START, (p?.endedMs ?? 0) - START]).toEqual([250, 1000]);
  });

  it("derives 100,000 events of a large Map", () => {
    const events = syntheticMap(25_000);
    expect(events.length).toBeGreaterThanOrEqual(100_000);
    const run = deriveVisits(events);
    expect(run.visits.length).toBe(25_001);
    expect(run.scopes.at(-1)?.path).toBe("Map Big › iteration 24999");
    expect(run.stateOfEvent.at(-2)).toBe("Big");
    expect(run.visits.every((v) => v.status === "succeeded")).toBe(true);
  });
});
