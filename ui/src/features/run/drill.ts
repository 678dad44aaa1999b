// Drilling into one Map iteration or one Parallel branch of the run shown: the container on the
// canvas offers its iterations or branches (from the run's visits), and while one is chosen the
// states inside the container are coloured by how they fared in that iteration or branch alone.
// Like the Map progress, the choices live in a small external store the canvas nodes read.
import { useSyncExternalStore } from "react";
import type { RunVisits, VisitStatus } from "./visits";

/** What a container of the run shown can be drilled into. */
export type DrillTarget = {
  kind: "Map" | "Parallel";
  /** Iterations (a Map) or branches (a Parallel) that ran in its last visit. */
  count: number;
  /** How each iteration or branch ended, by index (a Map iteration's or a branch's worst). */
  statuses: readonly VisitStatus[];
};

/** The last visit of each container state, with the scopes (iterations, branches) it owns. */
function containers(run: RunVisits): Map<string, { visit: number; scopes: number[] }> {
  const out = new Map<string, { visit: number; scopes: number[] }>();
  run.visits.forEach((visit, index) => {
    if (visit.stateType === "Map" || visit.stateType === "Parallel") out.set(visit.name, { visit: index, scopes: [] });
  });
  const byVisit = new Map<number, number[]>();
  for (const { visit, scopes } of out.values()) byVisit.set(visit, scopes);
  run.scopes.forEach((scope, index) => {
    if (scope.owner !== null) byVisit.get(scope.owner)?.push(index);
  });
  return out;
}

/** How a scope's visits ended taken together: failed over caught over running over cancelled. */
function worst(statuses: Iterable<VisitStatus>): VisitStatus {
  const order: VisitStatus[] = ["failed", "running", "cancelled", "caught", "succeeded"];
  let found = order.length - 1;
  for (const status of statuses) found = Math.min(found, order.indexOf(status));
  return order[found] ?? "succeeded";
}

/** The containers of a run that can be drilled into, by state name. */
export function drillTargetsOf(run: RunVisits): Map<string, DrillTarget> {
  const byScope = new Map<number, VisitStatus[]>();
  for (const visit of run.visits) {
    const list = byScope.get(visit.scope);
    if (list) list.push(visit.status);
    else byScope.set(visit.scope, [visit.status]);
  }
  const out = new Map<string, DrillTarget>();
  for (const [name, { visit, scopes }] of containers(run)) {
    const kind = run.visits[visit]?.stateType === "Map" ? "Map" : "Parallel";
    const statuses: VisitStatus[] = [];
    for (const scope of scopes) {
      const index = run.scopes[scope]?.index ?? 0;
      statuses[index] = worst(byScope.get(scope) ?? []);
    }
    if (scopes.length > 0) out.set(name, { kind, count: statuses.length, statuses });
  }
  return out;
}

/**
 * The status of each state inside the chosen iterations and branches, in those alone (its last
 * visit there); states elsewhere are not in the map.
 */
export function drilledStatuses(run: RunVisits, drills: ReadonlyMap<string, number>): Map<string, VisitStatus> {
  const out = new Map<string, VisitStatus>();
  if (drills.size === 0) return out;
  const owned = containers(run);
  const chosen = new Set<number>();
  for (const [name, index] of drills) {
    for (const scope of owned.get(name)?.scopes ?? []) {
      if (run.scopes[scope]?.index === index) chosen.add(scope);
    }
  }
  for (const visit of run.visits) {
    if (chosen.has(visit.scope)) out.set(visit.name, visit.status);
  }
  return out;
}

let targets: ReadonlyMap<string, DrillTarget> = new Map();
let drills: ReadonlyMap<string, number> = new Map();
const listeners = new Set<() => void>();

function notify() {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Sets what the run shown offers; choices it no longer offers are dropped. */
export function setDrillTargets(next: ReadonlyMap<string, DrillTarget>) {
  targets = next;
  const kept = new Map([...drills].filter(([name, index]) => index < (next.get(name)?.count ?? 0)));
  if (kept.size !== drills.size) drills = kept;
  notify();
}

/** Chooses iteration or branch `index` of container `name` (null: all of them again). */
export function setDrill(name: string, index: number | null) {
  const next = new Map(drills);
  if (index === null) next.delete(name);
  else next.set(name, index);
  drills = next;
  notify();
}

/** What container `name` offers in the run shown, if anything. */
export function useDrillTarget(name: string): DrillTarget | null {
  return useSyncExternalStore(subscribe, () => targets.get(name) ?? null);
}

/** The iteration or branch chosen in container `name`, if any. */
export function useDrill(name: string): number | null {
  return useSyncExternalStore(subscribe, () => drills.get(name) ?? null);
}

/** Every choice, for colouring the canvas. */
export function useDrills(): ReadonlyMap<string, number> {
  return useSyncExternalStore(subscribe, () => drills);
}
