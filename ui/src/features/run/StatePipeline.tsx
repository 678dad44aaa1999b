// One state of the run shown: the data at each stage of its last visit (input, after InputPath,
// …, output) with what each stage changed, its details (entered, ended, duration, each retry
// with its error, the catcher that fired and where it went) and its events. With no state
// selected, the run's output.
import type { ExecutionView, StateRunView } from "../../ipc/rpc";
import { formatDuration } from "./duration";
import { StageList } from "./StageList";
import type { RunVisits, Visit } from "./visits";

type Props = {
  execution: ExecutionView;
  /** The state's run, null when it did not run or none is selected. */
  state: StateRunView | null;
  /** The name of the state selected or just run. */
  shown: string | null;
  /** The run's visits, when derived (after the run has ended). */
  run?: RunVisits | null;
};

/** How many of the state's events are listed. */
const EVENTS_LISTED = 50;

/** The state's last visit in the run, if it ran. */
function lastVisit(run: RunVisits, name: string): Visit | null {
  for (let i = run.visits.length - 1; i >= 0; i--) {
    const visit = run.visits[i];
    if (visit?.name === name) return visit;
  }
  return null;
}

/** Where the run went after a caught error: the next state entered in the same scope. */
function caughtTo(run: RunVisits, visit: Visit): string | null {
  const after = run.visits.find((v) => v.scope === visit.scope && v.enteredEventId > visit.enteredEventId);
  return after?.name ?? null;
}

type DetailsProps = { run: RunVisits; visit: Visit; visits: number; history: ExecutionView["events"] };

function VisitDetails({ run, visit, visits, history }: DetailsProps) {
  const at = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");
  const scope = run.scopes[visit.scope]?.path ?? "";
  const events: Array<{ id: number; type: string }> = [];
  run.stateOfEvent.forEach((name, position) => {
    if (name !== visit.name || events.length >= EVENTS_LISTED) return;
    const event = history[position];
    if (event) events.push({ id: Number(event.id), type: String(event.type) });
  });
  const target = visit.status === "caught" ? caughtTo(run, visit) : null;
  return (
    <div className="visit-details" data-testid="visit-details">
      <dl>
        <dt>Status</dt>
        <dd className={`run-${visit.status}`}>{visit.status}</dd>
        {scope !== "" && (
          <>
            <dt>Where</dt>
            <dd>{scope}</dd>
          </>
        )}
        <dt>Entered</dt>
        <dd>{at(visit.enteredMs)}</dd>
        <dt>Ended</dt>
        <dd>{visit.endedMs === null ? "—" : at(visit.endedMs)}</dd>
        <dt>Duration</dt>
        <dd>{visit.durationMs === null ? "running" : formatDuration(visit.durationMs)}</dd>
        {visits > 1 && (
          <>
            <dt>Visits</dt>
            <dd>{visits} (the last one is shown)</dd>
          </>
        )}
        {visit.retries.map((attempt, i) => (
          <RetryLine key={i} index={i} error={attempt.error} cause={attempt.cause} />
        ))}
        {visit.error !== null && (
          <>
            <dt>{visit.status === "caught" ? "Caught" : "Error"}</dt>
            <dd>
              {visit.error}
              {visit.cause ? `: ${visit.cause}` : ""}
              {target !== null && ` → a Catch sent the run to ${target}`}
            </dd>
          </>
        )}
      </dl>
      {events.length > 0 && (
        <details className="visit-events">
          <summary>
            Its events ({events.length === EVENTS_LISTED ? `first ${EVENTS_LISTED}` : events.length})
          </summary>
          <ul>
            {events.map((e) => (
              <li key={e.id}>
                #{e.id} {e.type}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

function RetryLine({ index, error, cause }: { index: number; error: string; cause: string }) {
  return (
    <>
      <dt>Attempt {index + 1}</dt>
      <dd>
        failed with {error}
        {cause ? `: ${cause}` : ""}, retried
      </dd>
    </>
  );
}

export function StatePipeline({ execution, state, shown, run }: Props) {
  const visit = run && shown ? lastVisit(run, shown) : null;
  return (
    <div className="pipeline" data-testid="pipeline">
      {state === null ? (
        <div className="hint">
          {shown ? `${shown} did not run.` : "Select a state to see its data at each stage."}
          {execution.output && !shown && <pre className="stage-value">{execution.output}</pre>}
        </div>
      ) : (
        <>
          {run && visit && <VisitDetails run={run} visit={visit} visits={state.visits} history={execution.events} />}
          <StageList stages={state.stages} />
        </>
      )}
    </div>
  );
}
