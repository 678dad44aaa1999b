// A live run as the run panel follows it: what start_run, poll_run, control_run and answer_task
// return, folded into one view. Polling stops when the run has ended.
import { useCallback, useEffect, useRef, useState } from "react";
import {
  rpc,
  type DebugAction,
  type ExecutionView,
  type RunProgress,
  type RedriveRun,
  type StartRun,
  type TaskReply,
} from "../../ipc/rpc";

/** How often a live run is polled, in milliseconds. */
export const POLL_MS = 120;

export type LiveRun = {
  runId: number;
  /** Every event so far (the final history once the run has ended). */
  events: Array<Record<string, unknown>>;
  lastEventId: number;
  progress: RunProgress;
};

/** Folds a progress report into what is known of the run. */
export function fold(run: LiveRun | null, progress: RunProgress): LiveRun {
  const known = run !== null && run.runId === progress.runId ? run : null;
  // A report older than what is known (a poll overtaken by a command) changes nothing.
  if (
    known !== null &&
    (known.progress.result !== null || (progress.result === null && progress.lastEventId < known.lastEventId))
  ) {
    return known;
  }
  // Reports may overlap (a poll and a command in flight together): each event is kept once.
  const have = known?.lastEventId ?? 0;
  const fresh = progress.events.filter((event) => Number(event.id) > have);
  const events = [...(known?.events ?? []), ...fresh];
  const lastEventId = Math.max(have, progress.lastEventId);
  if (progress.result !== null) {
    // The final history, unless it is exactly what was reported (a long run's is not sent twice).
    if (progress.resultEventsStreamed) {
      return { runId: progress.runId, events, lastEventId, progress: { ...progress, result: { ...progress.result, events } } };
    }
    return { runId: progress.runId, events: progress.result.events, lastEventId: progress.lastEventId, progress };
  }
  return { runId: progress.runId, events, lastEventId, progress };
}

/** The run as the canvas and the panel show results: the final view, or one built so far. */
export function asExecution(run: LiveRun): ExecutionView {
  const { progress } = run;
  if (progress.result !== null) return progress.result;
  return {
    id: null,
    name: "",
    status: progress.status,
    output: null,
    error: null,
    cause: null,
    states: progress.states,
    events: run.events,
    usage: { stateTransitions: 0, durationMs: 0 },
  };
}

export function useLiveRun(onChange: (run: LiveRun | null) => void, onError: (message: unknown) => void) {
  const [run, setRun] = useState<LiveRun | null>(null);
  const current = useRef<LiveRun | null>(null);
  const changed = useRef(onChange);
  const failed = useRef(onError);
  useEffect(() => {
    changed.current = onChange;
    failed.current = onError;
  });

  // Requests are numbered: a report answering an older request than one already applied (a poll
  // overtaken by a command) is dropped.
  const sent = useRef(0);
  const applied = useRef(0);
  const apply = useCallback((progress: RunProgress, request: number) => {
    if (request < applied.current) return;
    applied.current = request;
    if (current.current !== null && current.current.runId > progress.runId) return;
    const next = fold(current.current, progress);
    current.current = next;
    // Always a new value, so polling goes on.
    setRun({ ...next });
    changed.current(next);
  }, []);

  // Poll while the run has not ended: each report schedules the next poll.
  useEffect(() => {
    if (run === null || run.progress.result !== null) return;
    const { runId, lastEventId } = run;
    const timer = setTimeout(() => {
      const request = ++sent.current;
      rpc("poll_run", { runId, sinceEventId: lastEventId }).then(
        (progress) => {
          if (current.current?.runId === runId) apply(progress, request);
        },
        (e: unknown) => failed.current(e),
      );
      // More events are ready: fetch them at once, a report at a time between frames.
    }, run.progress.eventsLeft > 0 ? 0 : POLL_MS);
    return () => clearTimeout(timer);
  }, [run, apply]);

  /** Follows the run a start (or a redrive) begins. */
  const follow = useCallback(
    (begin: () => Promise<RunProgress>) => {
      const number = ++sent.current;
      return begin().then(
        (progress) => {
          current.current = null;
          apply(progress, number);
        },
        (e: unknown) => {
          failed.current(e);
          throw e;
        },
      );
    },
    [apply],
  );
  const start = useCallback((request: StartRun) => follow(() => rpc("start_run", request)), [follow]);
  const redrive = useCallback((request: RedriveRun) => follow(() => rpc("redrive_run", request)), [follow]);

  const control = useCallback(
    (action: DebugAction) => {
      const live = current.current;
      if (live === null) return Promise.resolve();
      const request = ++sent.current;
      return rpc("control_run", { runId: live.runId, action, sinceEventId: live.lastEventId }).then(
        (progress) => apply(progress, request),
        (e: unknown) => failed.current(e),
      );
    },
    [apply],
  );

  const answer = useCallback(
    (taskId: string, reply: TaskReply) => {
      const live = current.current;
      if (live === null) return Promise.resolve();
      const request = ++sent.current;
      return rpc("answer_task", { runId: live.runId, taskId, reply, sinceEventId: live.lastEventId }).then(
        (progress) => apply(progress, request),
        (e: unknown) => failed.current(e),
      );
    },
    [apply],
  );

  return { run, start, redrive, control, answer };
}
