// State visits derived from a run's history: one row per time a state was entered, with where it
// ran (the Map iteration or Parallel branch, found by walking previousEventId), how it ended,
// its retries and its data. The Table and Timeline tabs show these rows and the Events tab names
// each event's state with them.
//
// One pass over the events in id order (a predecessor always has a smaller id, even after the
// interpreter orders concurrent branches by time), so 100,000 events derive in a few
// milliseconds. The history's threads:
// - the first event of a Map iteration points at its MapIterationStarted (which has the index);
// - the first event of each Parallel branch points at ParallelStateStarted;
// - the events that end an iteration or a Map/Parallel (MapIterationSucceeded, MapStateFailed,
//   ParallelStateSucceeded, …) point at the last event of an inner thread, so they are placed in
//   the scope of the container they end, found by walking up from there;
// - a retried Task is scheduled again (TaskScheduled) inside the same visit after its failure;
// - a caught error is a failure followed by the state's StateExited (its Catch moved the run on).

type Event = Record<string, unknown>;

/** How a visit ended (the canvas legend's classes are `run-<status>`). */
export type VisitStatus = "succeeded" | "failed" | "caught" | "running" | "cancelled";

/** An error and its cause, as the history gives them. */
export type Failure = { error: string; cause: string };

/** A failed attempt that a Retry tried again. */
export type Attempt = Failure & { atMs: number };

/** One time a state ran. Times are milliseconds since the epoch. */
export type Visit = {
  name: string;
  /** The state's type, e.g. "Task", from its StateEntered event. */
  stateType: string;
  /** Index of its scope in {@link RunVisits.scopes}. */
  scope: number;
  status: VisitStatus;
  enteredMs: number;
  /** When it exited, failed or was cancelled; null while it runs. */
  endedMs: number | null;
  /** The event that ended it (exit or failure); null while it runs or when it was cancelled. */
  endedEventId: number | null;
  /** From entered to ended; null while it runs. */
  durationMs: number | null;
  retries: readonly Attempt[];
  error: string | null;
  cause: string | null;
  input: string | null;
  output: string | null;
  enteredEventId: number;
};

/**
 * Where states run: the top level, a Map iteration or a Parallel branch. Its label and path are
 * written when read (a Map of 25,000 iterations would otherwise make 50,000 strings up front).
 */
export class Scope {
  constructor(
    /** Its parent scope's index, null at the top level. */
    readonly parent: number | null,
    /** The Map or Parallel visit it belongs to (index into visits), null at the top level. */
    readonly owner: number | null,
    /** The iteration or branch index. */
    readonly index: number,
    private readonly container: "Map" | "Parallel" | null,
    private readonly ownerName: string,
    private readonly up: Scope | null,
  ) {}

  /** e.g. "Map M › iteration 3"; "" at the top level. */
  get label(): string {
    if (this.container === null) return "";
    const part = this.container === "Map" ? "iteration" : "branch";
    return `${this.container} ${this.ownerName} › ${part} ${this.index}`;
  }

  /** The labels from the top level down, joined by " › ". */
  get path(): string {
    const above = this.up?.path ?? "";
    return above === "" ? this.label : `${above} › ${this.label}`;
  }
}

/** What {@link deriveVisits} gives. */
export type RunVisits = {
  visits: Visit[];
  /** Scope 0 is the top level; a scope comes after its parent. */
  scopes: Scope[];
  /** Per event (by position): the state it belongs to, "" for execution events. */
  stateOfEvent: string[];
  /** Per event (by position): its time in milliseconds since the epoch. */
  timeOfEvent: Float64Array;
  /** ExecutionStarted's time (else the first event's). */
  startMs: number;
  /** The last event's time. */
  endMs: number;
  /** The last event's id. */
  endEventId: number;
  /** Whether the execution has ended (succeeded, failed, timed out or aborted). */
  ended: boolean;
};

/** The time of an event in milliseconds: AWS's wire form is seconds, an ISO string is accepted. */
export function eventTimeMs(event: Event): number {
  const t = event.timestamp;
  if (typeof t === "number") return t * 1000;
  if (typeof t === "string") {
    const parsed = Date.parse(t);
    return Number.isNaN(parsed) ? 0 : parsed;
  }
  return 0;
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function object(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
}

function failureIn(details: Record<string, unknown> | null): Failure | null {
  if (details === null || (details.error === undefined && details.cause === undefined)) return null;
  return { error: String(details.error ?? ""), cause: String(details.cause ?? "") };
}

/** What an event type means here, decided once per type rather than once per event. */
const KIND = {
  other: 0,
  entered: 1,
  exited: 2,
  mapStarted: 3,
  parallelStarted: 10,
  /** TaskScheduled, ActivityScheduled, LambdaFunctionScheduled: an attempt starts. */
  scheduled: 4,
  /** MapState / ParallelState Succeeded, Failed, Aborted. */
  containerEnded: 5,
  iterationStarted: 6,
  iterationEnded: 7,
  /** TaskFailed, LambdaFunctionTimedOut, EvaluationFailed, …: the state's own failure. */
  stateFailed: 8,
  executionEnded: 9,
} as const;

type Kind = { code: number; detailsKey: string; stateType: string };

function kindOf(type: string): Kind {
  const detailsKey = `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
  const kind = (code: number, stateType = ""): Kind => ({ code, detailsKey, stateType });
  // Every state type shares the entered and exited details.
  if (type.endsWith("StateEntered"))
    return { code: KIND.entered, detailsKey: "stateEnteredEventDetails", stateType: type.slice(0, -12) };
  if (type.endsWith("StateExited")) return { code: KIND.exited, detailsKey: "stateExitedEventDetails", stateType: "" };
  if (type.startsWith("Execution")) return kind(type === "ExecutionStarted" ? KIND.other : KIND.executionEnded);
  if (type === "MapIterationStarted") return kind(KIND.iterationStarted);
  if (type.startsWith("MapIteration")) return kind(KIND.iterationEnded);
  if (type === "MapStateStarted") return kind(KIND.mapStarted);
  if (type === "ParallelStateStarted") return kind(KIND.parallelStarted);
  if (type.startsWith("MapState") || type.startsWith("ParallelState")) return kind(KIND.containerEnded);
  if (type.endsWith("Scheduled")) return kind(KIND.scheduled);
  if (type.endsWith("Failed") || type.endsWith("TimedOut")) return kind(KIND.stateFailed);
  return kind(KIND.other);
}

/** Shared by the visits without retries, most of them (one array less per visit). */
const NO_RETRIES: readonly Attempt[] = Object.freeze([]);

const EXITED = 1;
/** A Map or Parallel between its MapStateStarted/ParallelStateStarted and its end. */
const CONTAINER_RUNNING = 2;
/** A Map or Parallel that ended with MapStateAborted/ParallelStateAborted. */
const ABORTED = 4;

/**
 * What the pass keeps beyond what it reports, in arrays by visit and by scope rather than an
 * object each: a Map of 25,000 iterations would otherwise spend much of its time collecting them.
 */
class Bookkeeping {
  /** Per visit: EXITED, CONTAINER_RUNNING, ABORTED. */
  readonly flags: Uint8Array;
  /** Per visit: its last failure, until a Retry starts another attempt. */
  readonly pending = new Map<number, Attempt>();
  /** Per Map or Parallel visit: the last failure inside its iterations or branches (it fails with it). */
  readonly childFailure = new Map<number, Failure>();
  /** Per Map or Parallel visit: the scopes of its iterations or branches. */
  readonly children = new Map<number, number[]>();
  /** Per scope: the visit under way in it, -1 for none. */
  readonly open: Int32Array;
  /** Per scope: when its iteration or branch ended, NaN until then. */
  readonly closedMs: Float64Array;

  constructor(capacity: number) {
    this.flags = new Uint8Array(capacity);
    this.open = new Int32Array(capacity + 1).fill(-1);
    this.closedMs = new Float64Array(capacity + 1).fill(NaN);
  }

  has(visit: number, flag: number): boolean {
    return ((this.flags[visit] as number) & flag) !== 0;
  }

  set(visit: number, flag: number, on: boolean) {
    const flags = this.flags[visit] as number;
    this.flags[visit] = on ? flags | flag : flags & ~flag;
  }

  close(scope: number, ms: number) {
    if (Number.isNaN(this.closedMs[scope])) this.closedMs[scope] = ms;
  }

  closeChildren(visit: number, ms: number) {
    for (const child of this.children.get(visit) ?? []) this.close(child, ms);
  }
}

/**
 * Derives the state visits of a history (events in id order).
 * `branchOfState` maps a state name to the index of the Parallel branch it belongs to (from the
 * definition); without it, branches are numbered in the order their first events appear.
 */
export function deriveVisits(
  events: readonly Event[],
  branchOfState?: ReadonlyMap<string, number>,
): RunVisits {
  const visits: Visit[] = [];
  const scopes: Scope[] = [new Scope(null, null, 0, null, "", null)];
  const book = new Bookkeeping(events.length);
  // Branches started so far, by the id of their ParallelStateStarted.
  const branchesOfFork = new Map<number, number>();
  const stateOfEvent: string[] = new Array<string>(events.length);
  const timeOfEvent = new Float64Array(events.length);
  // By event id: its scope, its kind and its position.
  let maxId = 0;
  for (const event of events) maxId = Math.max(maxId, Number(event.id) || 0);
  const scopeOfId = new Int32Array(maxId + 1);
  const kindOfId = new Uint8Array(maxId + 1);
  const positionOfId = new Int32Array(maxId + 1);
  const kinds = new Map<string, Kind>();
  let startMs: number | null = null;
  let executionEnd: { ms: number; failure: Failure | null } | null = null;

  const newScope = (parent: number, owner: number, container: "Map" | "Parallel", index: number) => {
    scopes.push(new Scope(parent, owner, index, container, visits[owner]?.name ?? "", scopes[parent] ?? null));
    const scope = scopes.length - 1;
    const siblings = book.children.get(owner);
    if (siblings) siblings.push(scope);
    else book.children.set(owner, [scope]);
    return scope;
  };
  // The scope of the Map or Parallel that an ending event ends, and the child scope it came from.
  const containerAbove = (from: number): { scope: number; child: number } => {
    let child = from;
    let s: number | null = from;
    while (s !== null) {
      const open = book.open[s] as number;
      if (open >= 0 && book.has(open, CONTAINER_RUNNING)) return { scope: s, child };
      child = s;
      s = scopes[s]?.parent ?? null;
    }
    return { scope: from, child: from };
  };
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as Event;
    const type = String(event.type ?? "");
    let kind = kinds.get(type);
    if (kind === undefined) {
      kind = kindOf(type);
      kinds.set(type, kind);
    }
    const code = kind.code;
    const details = object(event[kind.detailsKey]);
    const id = Number(event.id) || 0;
    const prev = Number(event.previousEventId) || 0;
    const ms = eventTimeMs(event);
    timeOfEvent[i] = ms;
    if (type === "ExecutionStarted") startMs = ms;
    else startMs ??= ms;

    const prevScope = prev > 0 && prev <= maxId ? (scopeOfId[prev] as number) : 0;
    const prevKind = prev > 0 && prev <= maxId ? kindOfId[prev] : KIND.other;
    let scope = prevScope;
    let name = "";
    if (code === KIND.containerEnded || code === KIND.iterationEnded) {
      const found = containerAbove(prevScope);
      scope = found.scope;
      if (code === KIND.iterationEnded && found.child !== found.scope) book.close(found.child, ms);
    } else if (prevKind === KIND.iterationStarted) {
      const owner = book.open[prevScope] as number;
      const started = events[positionOfId[prev] as number] ?? {};
      const index = Number(object(started.mapIterationStartedEventDetails)?.index ?? 0);
      scope = newScope(prevScope, owner, "Map", index);
    } else if (prevKind === KIND.parallelStarted) {
      const owner = book.open[prevScope] as number;
      const started = branchesOfFork.get(prev) ?? 0;
      branchesOfFork.set(prev, started + 1);
      const index = branchOfState?.get(text(details?.name) ?? "") ?? started;
      scope = newScope(prevScope, owner, "Parallel", index);
    }
    if (id > 0) {
      scopeOfId[id] = scope;
      kindOfId[id] = code;
      positionOfId[id] = i;
    }
    const open = book.open[scope] as number;

    if (code === KIND.entered) {
      name = text(details?.name) ?? "";
      const failState = type === "FailStateEntered";
      visits.push({
        name,
        stateType: kind.stateType,
        scope,
        status: failState ? "failed" : "running",
        enteredMs: ms,
        endedMs: failState ? ms : null,
        endedEventId: failState ? id : null,
        durationMs: null,
        retries: NO_RETRIES,
        error: null,
        cause: null,
        input: text(details?.input),
        output: null,
        enteredEventId: id,
      });
      book.open[scope] = visits.length - 1;
    } else if (code === KIND.executionEnded) {
      executionEnd = { ms, failure: failureIn(details) };
      book.close(0, ms);
    } else if (code === KIND.iterationStarted || code === KIND.iterationEnded) {
      name = text(details?.name) ?? "";
    } else if (open >= 0) {
      const v = visits[open] as Visit;
      name = v.name;
      if (code === KIND.exited) {
        v.output = text(details?.output);
        v.endedMs = ms;
        v.endedEventId = id;
        book.set(open, EXITED, true);
        book.set(open, CONTAINER_RUNNING, false);
        book.closeChildren(open, ms);
        book.open[scope] = -1;
      } else if (code === KIND.mapStarted || code === KIND.parallelStarted || code === KIND.scheduled) {
        // A second start within one visit is a Retry of the failure before it.
        const pending = book.pending.get(open);
        if (pending !== undefined) {
          v.retries = [...v.retries, pending];
          v.endedMs = null;
          v.endedEventId = null;
          book.pending.delete(open);
        }
        if (code !== KIND.scheduled) {
          book.set(open, CONTAINER_RUNNING, true);
          book.childFailure.delete(open);
        }
      } else if (code === KIND.containerEnded) {
        book.set(open, CONTAINER_RUNNING, false);
        book.closeChildren(open, ms);
        const inner = book.childFailure.get(open) ?? { error: "", cause: "" };
        if (type.endsWith("Failed")) book.pending.set(open, { ...inner, atMs: ms });
        if (type.endsWith("Aborted")) book.set(open, ABORTED, true);
        v.endedMs = ms;
        v.endedEventId = id;
      } else if (code === KIND.stateFailed) {
        const failure = failureIn(details) ?? { error: type, cause: "" };
        book.pending.set(open, { ...failure, atMs: ms });
        v.endedMs = ms;
        v.endedEventId = id;
        // The Map or Parallel around it fails with this error if nothing catches it.
        for (let s: number | null = scope; s !== null && s > 0; s = scopes[s]?.parent ?? null) {
          const owner = scopes[s]?.owner;
          if (owner !== null && owner !== undefined) book.childFailure.set(owner, failure);
        }
      }
    }
    stateOfEvent[i] = name;
  }

  const endMs = events.length > 0 ? (timeOfEvent[events.length - 1] as number) : 0;
  settle(visits, book, scopes, executionEnd);
  const endEventId = Number(events.at(-1)?.id) || 0;
  return {
    visits,
    scopes,
    stateOfEvent,
    timeOfEvent,
    startMs: startMs ?? 0,
    endMs,
    endEventId,
    ended: executionEnd !== null,
  };
}

/** Gives each visit its final status, end and error once every event has been seen. */
function settle(
  visits: Visit[],
  book: Bookkeeping,
  scopes: Scope[],
  executionEnd: { ms: number; failure: Failure | null } | null,
) {
  // When each scope stopped: its own end, else its parent's (scopes come after their parents).
  const stopped: (number | null)[] = new Array<number | null>(scopes.length);
  stopped[0] = executionEnd?.ms ?? null;
  for (let s = 1; s < scopes.length; s++) {
    const parent = scopes[s]?.parent ?? 0;
    const closed = book.closedMs[s] as number;
    stopped[s] = Number.isNaN(closed) ? (stopped[parent] ?? null) : closed;
  }
  for (let i = 0; i < visits.length; i++) {
    const v = visits[i] as Visit;
    const failure = book.pending.get(i);
    const aborted = book.has(i, ABORTED);
    if (failure !== undefined && failure.error !== "") {
      v.error = failure.error;
      v.cause = failure.cause;
    }
    if (book.has(i, EXITED)) v.status = failure !== undefined ? "caught" : "succeeded";
    else if (failure !== undefined || v.status === "failed") v.status = aborted ? "cancelled" : "failed";
    else if (aborted || stopped[v.scope] != null) {
      v.status = "cancelled";
      v.endedMs = aborted ? v.endedMs : (stopped[v.scope] ?? null);
    }
    v.durationMs = v.endedMs === null ? null : v.endedMs - v.enteredMs;
    // A Fail state's error is only in the execution's failure (when nothing caught it).
    if (v.status === "failed" && v.error === null && executionEnd?.failure) {
      v.error = executionEnd.failure.error;
      v.cause = executionEnd.failure.cause;
    }
  }
}

/** A graph node as far as {@link branchOfStates} reads it. */
type GraphNode = { id: string; name: string; kind: string; stateType: string | null; parent: string | null; branch: number | null };

/** Each state directly in a Parallel branch, by name, with its branch's index (for {@link deriveVisits}). */
export function branchOfStates(nodes: readonly GraphNode[]): Map<string, number> {
  const parallels = new Set(nodes.filter((n) => n.stateType === "Parallel").map((n) => n.id));
  const out = new Map<string, number>();
  for (const n of nodes) {
    if (n.kind === "state" && n.branch !== null && n.parent !== null && parallels.has(n.parent)) out.set(n.name, n.branch);
  }
  return out;
}
