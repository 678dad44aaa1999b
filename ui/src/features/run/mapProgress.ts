// Map progress on the canvas: for each Map state, how many iterations the run shown has started,
// finished and failed, counted from its history events (MapStateStarted gives the item count,
// MapIteration* events the iterations). The run panel's execution feeds it; Map containers read
// it through a small external store, like the debugger's marks.
import { useSyncExternalStore } from "react";

/** One Map state's iterations in the run shown. */
export type MapProgress = {
  total: number;
  succeeded: number;
  failed: number;
  running: number;
};

type Event = Record<string, unknown>;

function detail(event: Event, key: string): Record<string, unknown> | null {
  const d = event[key];
  return typeof d === "object" && d !== null ? (d as Record<string, unknown>) : null;
}

/**
 * Counts each Map state's iterations from a history (events in order, each with `id`,
 * `previousEventId`, `type` and its details). A Map entered several times shows its last visit.
 */
export function mapProgressOf(events: readonly Event[]): Map<string, MapProgress> {
  const byId = new Map<number, Event>();
  for (const e of events) byId.set(Number(e.id), e);
  const out = new Map<string, MapProgress>();
  const of = (name: string) => {
    let p = out.get(name);
    if (!p) {
      p = { total: 0, succeeded: 0, failed: 0, running: 0 };
      out.set(name, p);
    }
    return p;
  };
  for (const e of events) {
    switch (e.type) {
      case "MapStateStarted": {
        // The Map's name is on the MapStateEntered event this one follows.
        const entered = byId.get(Number(e.previousEventId));
        const name = entered && detail(entered, "stateEnteredEventDetails")?.name;
        const length = Number(detail(e, "mapStateStartedEventDetails")?.length ?? 0);
        if (typeof name === "string") out.set(name, { total: length, succeeded: 0, failed: 0, running: 0 });
        break;
      }
      case "MapIterationStarted": {
        const name = detail(e, "mapIterationStartedEventDetails")?.name;
        if (typeof name === "string") of(name).running += 1;
        break;
      }
      case "MapIterationSucceeded":
      case "MapIterationFailed":
      case "MapIterationAborted": {
        const key = `mapIteration${String(e.type).slice("MapIteration".length)}EventDetails`;
        const name = detail(e, key)?.name;
        if (typeof name !== "string") break;
        const p = of(name);
        p.running = Math.max(0, p.running - 1);
        if (e.type === "MapIterationSucceeded") p.succeeded += 1;
        else p.failed += 1;
        break;
      }
    }
  }
  return out;
}

let progress: ReadonlyMap<string, MapProgress> = new Map();
const listeners = new Set<() => void>();

/** Sets the progress shown (from the run shown, or nothing). */
export function setMapProgress(next: ReadonlyMap<string, MapProgress>) {
  progress = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The progress of the Map state `name` in the run shown, if it ran. */
export function useMapProgress(name: string): MapProgress | null {
  return useSyncExternalStore(subscribe, () => progress.get(name) ?? null);
}
