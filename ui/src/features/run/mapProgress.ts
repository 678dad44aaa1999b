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
  return new MapProgressCounter().update(events);
}

/**
 * The same count, kept up to date as a live run's history grows: a history that extends the
 * one counted before (its earlier events the same objects) costs only its new events.
 */
export class MapProgressCounter {
  /** The name of each MapStateEntered event by id (a MapStateStarted names its Map through it). */
  private entered = new Map<number, string>();
  private out = new Map<string, MapProgress>();
  private counted: readonly Event[] = [];

  /** The count for `events`, as a new Map. */
  update(events: readonly Event[]): Map<string, MapProgress> {
    const done = this.counted.length;
    const extends_ = done <= events.length && (done === 0 || events[done - 1] === this.counted[done - 1]);
    if (!extends_) {
      this.entered = new Map();
      this.out = new Map();
    }
    for (let i = extends_ ? done : 0; i < events.length; i++) {
      const event = events[i];
      if (event) this.count(event);
    }
    this.counted = events;
    // A copy: the count goes on changing, a count handed out does not.
    return new Map(this.out);
  }

  private of(name: string): MapProgress {
    let p = this.out.get(name);
    if (!p) {
      p = { total: 0, succeeded: 0, failed: 0, running: 0 };
      this.out.set(name, p);
    }
    return p;
  }

  private count(e: Event) {
    switch (e.type) {
      case "MapStateEntered": {
        const name = detail(e, "stateEnteredEventDetails")?.name;
        if (typeof name === "string") this.entered.set(Number(e.id), name);
        break;
      }
      case "MapStateStarted": {
        // The Map's name is on the MapStateEntered event this one follows.
        const name = this.entered.get(Number(e.previousEventId));
        const length = Number(detail(e, "mapStateStartedEventDetails")?.length ?? 0);
        if (name !== undefined) this.out.set(name, { total: length, succeeded: 0, failed: 0, running: 0 });
        break;
      }
      case "MapIterationStarted": {
        const name = detail(e, "mapIterationStartedEventDetails")?.name;
        if (typeof name !== "string") break;
        const p = this.of(name);
        // A new object: a count handed out before stays as it was.
        this.out.set(name, { ...p, running: p.running + 1 });
        break;
      }
      case "MapIterationSucceeded":
      case "MapIterationFailed":
      case "MapIterationAborted": {
        const key = `mapIteration${String(e.type).slice("MapIteration".length)}EventDetails`;
        const name = detail(e, key)?.name;
        if (typeof name !== "string") break;
        const p = { ...this.of(name) };
        p.running = Math.max(0, p.running - 1);
        if (e.type === "MapIterationSucceeded") p.succeeded += 1;
        else p.failed += 1;
        this.out.set(name, p);
        break;
      }
    }
  }
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
