// Run the open workflow locally and follow it live: the status, the output or the error, the
// data pipeline of the state selected on the canvas (or of the state just run when paused), the
// history shaped like AWS's, the debugger's controls and the tasks waiting for an answer.
import { useEffect, useMemo, useRef, useState } from "react";
import { AWS_PRICES, costOf, usd, type Prices } from "./cost";
import { breakpointsOf, setDebugDocument, setPausedAt, useBreakpoints } from "./debugStore";
import { EventsView } from "./EventsView";
import { exportExecution, importExecution } from "./executionFiles";
import { asExecution, useLiveRun } from "./liveRun";
import { PendingTasks } from "./PendingTasks";
import { RunHistory } from "./RunHistory";
import { SavedInputs } from "./SavedInputs";
import { StatePipeline } from "./StatePipeline";
import { Timeline } from "./Timeline";
import { deriveVisits } from "./visits";
import { VisitsTable } from "./VisitsTable";
import {
  errorMessage,
  rpc,
  type ExecutionSummary,
  type ExecutionView,
  type ImportedExecution,
  type RunClock,
  type RunSetup,
  type StartRun,
} from "../../ipc/rpc";

type Props = {
  documentId: number;
  execution: ExecutionView | null;
  onExecution: (execution: ExecutionView | null) => void;
  /** The state selected on the canvas, by name. */
  selectedState: string | null;
  /** Selects a state on the canvas, by name (from the Table and Timeline tabs). */
  onSelectState?: (name: string) => void;
  /** The Parallel branch of each state in a branch, from the definition, to number branches. */
  branchOfState?: ReadonlyMap<string, number>;
  /** A run read from a file (with the document it opened, if it had its definition). */
  onImported?: (imported: ImportedExecution) => void;
};

type Tab = "state" | "events" | "table" | "timeline" | "waiting" | "history";

const LEGEND = [
  ["running", "In progress"],
  ["succeeded", "Succeeded"],
  ["failed", "Failed"],
  ["caught", "Caught error"],
  ["cancelled", "Cancelled"],
  ["none", "Not run"],
] as const;

const CLOCKS: Record<string, RunClock> = {
  instant: { kind: "instant" },
  realTime: { kind: "realTime" },
  x10: { kind: "scaled", speed: 10 },
  x100: { kind: "scaled", speed: 100 },
};

export function RunPanel({
  documentId,
  execution,
  onExecution,
  selectedState,
  onSelectState,
  branchOfState,
  onImported,
}: Props) {
  const [setup, setSetup] = useState<RunSetup | null>(null);
  const [input, setInput] = useState("{}");
  const [testCase, setTestCase] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [clock, setClock] = useState("instant");
  const [startPaused, setStartPaused] = useState(false);
  const [name, setName] = useState("");
  const [express, setExpress] = useState(false);
  const [liftLimits, setLiftLimits] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  // The setup folds to its buttons, leaving the width to the run's views.
  const [setupOpen, setSetupOpen] = useState(true);
  const [tab, setTab] = useState<Tab>("state");
  const [history, setHistory] = useState<ExecutionSummary[]>([]);
  const refreshHistory = () =>
    rpc("list_executions", { documentId }).then(setHistory, () => setHistory([]));
  // The run shown belongs to the document it ran: another document shows no live run.
  const [runDocument, setRunDocument] = useState<number | null>(null);
  const live = useLiveRun(
    (run) => {
      if (runDocument === documentId) onExecution(run === null ? null : asExecution(run));
    },
    (e) => setError(errorMessage(e)),
  );
  const progress = runDocument === documentId ? (live.run?.progress ?? null) : null;
  const active = progress !== null && progress.result === null;
  const paused = progress?.paused ?? null;
  const pending = progress?.pending ?? [];
  const lastStart = useRef<StartRun | null>(null);

  useEffect(() => {
    setDebugDocument(documentId);
  }, [documentId]);

  useEffect(() => {
    rpc("list_executions", { documentId }).then(setHistory, () => setHistory([]));
  }, [documentId]);

  useEffect(() => {
    rpc("run_setup", { documentId }).then(
      (found) => {
        setSetup(found);
        setInput(found.sampleInput);
        setTestCase(found.testCases[0] ?? "");
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [documentId]);

  // The canvas marks the state a paused run waits before.
  const pausedAt = paused?.state ?? null;
  useEffect(() => setPausedAt(pausedAt), [pausedAt]);
  useEffect(() => () => setPausedAt(null), []);

  // The pipeline shown: the state selected on the canvas, or at each pause the state just run.
  const [shown, setShown] = useState<string | null>(selectedState);
  const [seen, setSeen] = useState({ selectedState, pause: "", waiting: 0 });
  const pause = paused === null ? "" : `${paused.state}@${live.run?.lastEventId ?? 0}`;
  if (seen.selectedState !== selectedState || seen.pause !== pause || seen.waiting !== pending.length) {
    setSeen({ selectedState, pause, waiting: pending.length });
    if (seen.selectedState !== selectedState) setShown(selectedState);
    if (seen.pause !== pause && paused !== null) {
      setShown(paused.lastState);
      setTab("state");
    }
    // A task starts waiting: show it.
    if (pending.length > seen.waiting) setTab("waiting");
  }

  // Breakpoints toggled on the canvas reach the live run (a new run gets them when it starts).
  const breakpoints = useBreakpoints();
  const { control } = live;
  const activeNow = useRef(active);
  useEffect(() => {
    activeNow.current = active;
  });
  useEffect(() => {
    if (activeNow.current) void control({ kind: "setBreakpoints", states: [...breakpoints] });
  }, [breakpoints, control]);

  // The history lists a run once it has ended.
  const ended = progress?.result !== null && progress !== null;
  useEffect(() => {
    if (ended) void refreshHistory();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ended, live.run?.runId]);

  const launch = (request: StartRun) => {
    setError(null);
    setRunDocument(request.documentId);
    lastStart.current = request;
    void live.start(request).then(() => undefined, () => onExecution(null));
  };
  const start = () =>
    launch({
      documentId,
      input,
      testCase: testCase === "" ? null : testCase,
      clock: CLOCKS[clock] ?? { kind: "instant" },
      startPaused,
      name: name.trim() === "" ? null : name.trim(),
      express,
      liftLimits,
      breakpoints: [...breakpointsOf(documentId)],
    });
  // A recorded run that did not succeed continues from where it stopped, as AWS's redrive does.
  const redrivable =
    execution !== null && execution.id !== null && ["FAILED", "TIMED_OUT", "ABORTED"].includes(execution.status);
  const redrive = () => {
    if (execution?.id == null) return;
    setError(null);
    setRunDocument(documentId);
    const request = {
      documentId,
      id: execution.id,
      testCase: testCase === "" ? null : testCase,
      clock: CLOCKS[clock] ?? { kind: "instant" as const },
      startPaused,
      breakpoints: [...breakpointsOf(documentId)],
    };
    void live.redrive(request).then(() => undefined, () => undefined);
  };
  const exportRun = () => {
    if (execution?.id == null) return;
    exportExecution(execution.id, execution.name).then(
      (path) => path !== null && setNotice(`Saved ${execution.name} to ${path}`),
      (e: unknown) => setError(errorMessage(e)),
    );
  };
  const importRun = () =>
    importExecution(documentId).then(
      (imported) => {
        if (imported === null) return;
        setRunDocument(null);
        setNotice(`Imported ${imported.execution.name}`);
        onImported?.(imported);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  const restart = () => {
    const previous = lastStart.current;
    if (previous !== null) launch({ ...previous, breakpoints: [...breakpointsOf(documentId)] });
  };

  const state = execution?.states.find((s) => s.name === shown) ?? null;
  // The visits are derived only for the tabs that show them (a long history takes a moment).
  // The State tab reads them once the run has ended (its details: times, retries, catcher).
  const needsVisits = tab === "events" || tab === "table" || tab === "timeline" || (tab === "state" && !active);
  const events = execution?.events;
  const run = useMemo(
    () => (needsVisits && events ? deriveVisits(events, branchOfState) : null),
    [needsVisits, events, branchOfState],
  );
  const tabButton = (id: Tab, label: string) => (
    <button type="button" role="tab" aria-selected={tab === id} onClick={() => setTab(id)}>
      {label}
    </button>
  );
  const [prices, setPrices] = useState<Prices>(AWS_PRICES);
  const cost = execution ? costOf(execution.usage, prices) : null;
  const priceField = (key: keyof Prices, label: string) => (
    <label key={key}>
      <span>{label}</span>
      <input
        type="number"
        min="0"
        step="any"
        value={prices[key]}
        onChange={(event) => {
          const value = Number(event.target.value);
          if (Number.isFinite(value) && value >= 0) setPrices({ ...prices, [key]: value });
        }}
      />
    </label>
  );

  return (
    <section className="run-panel" aria-label="Run">
      <div className={setupOpen ? "run-setup" : "run-setup folded"}>
        <div className="run-actions">
          <button
            type="button"
            className="icon-button"
            aria-expanded={setupOpen}
            aria-label={setupOpen ? "Fold the run setup" : "Unfold the run setup"}
            title={setupOpen ? "Fold the setup (input and options)" : "Show the input and options"}
            onClick={() => setSetupOpen((open) => !open)}
          >
            {setupOpen ? "◂" : "▸"}
          </button>
          <button type="button" className="run-start" onClick={start}>
            {active ? "Start again" : "Start"}
          </button>
          {execution && (
            <span className={`run-status run-status-${execution.status.toLowerCase()}`} data-testid="run-status">
              {execution.status}
            </span>
          )}
          {execution?.error && (
            <span className="run-error">
              {execution.error}
              {execution.cause ? `: ${execution.cause}` : ""}
            </span>
          )}
          {redrivable && !active && (
            <button type="button" onClick={redrive} title="Continue this run from where it stopped (redrive)">
              Redrive
            </button>
          )}
          {execution?.id != null && !active && (
            <button type="button" onClick={exportRun} title="Save this run (definition, input, history) as a file">
              Export run
            </button>
          )}
          <button type="button" onClick={() => void importRun()} title="Open a run file, or an AWS GetExecutionHistory answer">
            Import run
          </button>
        </div>
        {setupOpen && (
          <>
        <label className="run-input">
          <span>Input</span>
          <textarea
            aria-label="Execution input"
            value={input}
            spellCheck={false}
            onChange={(event) => setInput(event.target.value)}
          />
        </label>
        <div className="run-controls">
          <SavedInputs documentId={documentId} input={input} onInput={setInput} onError={setError} />
          <label>
            <span>Name</span>
            <input
              aria-label="Execution name"
              className="run-name"
              value={name}
              placeholder="run-<time>"
              spellCheck={false}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label>
            <span>Mocks</span>
            <select aria-label="Mock test case" value={testCase} onChange={(e) => setTestCase(e.target.value)}>
              <option value="">No mocks</option>
              {setup?.testCases.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          {setup?.mocksSource && <span className="run-source">from {setup.mocksSource}</span>}
          <label>
            <span>Clock</span>
            <select aria-label="Clock" value={clock} onChange={(e) => setClock(e.target.value)}>
              <option value="instant">Instant</option>
              <option value="realTime">Real time</option>
              <option value="x10">10× faster</option>
              <option value="x100">100× faster</option>
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              aria-label="Start paused"
              checked={startPaused}
              onChange={(e) => setStartPaused(e.target.checked)}
            />
            <span>Start paused</span>
          </label>
          <label title="Express: no .sync, callbacks or activities; ends after five minutes">
            <span>Type</span>
            <select aria-label="Workflow type" value={express ? "EXPRESS" : "STANDARD"} onChange={(e) => setExpress(e.target.value === "EXPRESS")}>
              <option value="STANDARD">Standard</option>
              <option value="EXPRESS">Express</option>
            </select>
          </label>
          <label title="Lift AWS's limits for this run: 256 KiB payloads, 25,000 history events">
            <input
              type="checkbox"
              aria-label="Lift AWS limits"
              checked={liftLimits}
              onChange={(e) => setLiftLimits(e.target.checked)}
            />
            <span>Lift AWS limits</span>
          </label>
          {execution && cost && !active && (
            <details className="run-cost" data-testid="run-cost">
              <summary>
                Cost of this run: Standard {usd(cost.standard)} ({execution.usage.stateTransitions} transitions) ·
                Express {usd(cost.express)} ({cost.billedSeconds} s, {cost.billedMemoryMb} MB)
              </summary>
              <div className="run-prices">
                {priceField("standardPerTransition", "Standard, USD per transition")}
                {priceField("expressPerRequest", "Express, USD per request")}
                {priceField("expressPerGbSecond", "Express, USD per GB-second")}
                {priceField("expressMemoryMb", "Express memory, MB")}
                <button type="button" onClick={() => setPrices(AWS_PRICES)}>
                  AWS prices
                </button>
              </div>
            </details>
          )}
          <span className="legend" aria-label="Legend">
            {LEGEND.map(([key, label]) => (
              <span key={key} className={`legend-item run-${key}`}>
                {label}
              </span>
            ))}
          </span>
        </div>
          </>
        )}
        {error !== null && (
          <p className="run-refused" role="alert">
            {error}
          </p>
        )}
        {notice !== null && error === null && (
          <p className="run-notice" role="status">
            {notice}
          </p>
        )}
      </div>
      {(execution || history.length > 0 || progress !== null) && (
        <div className="run-result">
          {progress !== null && (
            <span className="debug-bar" role="toolbar" aria-label="Debugger">
              <button type="button" disabled={!active || paused === null} onClick={() => void control({ kind: "continue" })}>
                Continue
              </button>
              <button type="button" disabled={!active || paused === null} onClick={() => void control({ kind: "step" })}>
                Step
              </button>
              <button type="button" disabled={!active || paused === null} onClick={() => void control({ kind: "stepOver" })}>
                Step over
              </button>
              <button type="button" disabled={!active || paused !== null} onClick={() => void control({ kind: "pause" })}>
                Pause
              </button>
              <button type="button" disabled={!active} onClick={() => void control({ kind: "stop" })}>
                Stop
              </button>
              <button
                type="button"
                disabled={!active || selectedState === null}
                title={selectedState ? `Continue until ${selectedState}` : "Select a state on the canvas"}
                onClick={() => selectedState !== null && void control({ kind: "runTo", state: selectedState })}
              >
                Run to here
              </button>
              <button type="button" onClick={restart}>
                Restart
              </button>
            </span>
          )}
          {paused !== null && (
            <p className="paused-banner" data-testid="paused-banner">
              Paused before {paused.state}
              {paused.lastState !== null ? ` · ${paused.lastState} just ran` : ""}
            </p>
          )}
          <div className="run-tabs" role="tablist">
            {tabButton("state", `State ${shown ? `· ${shown}` : ""}`)}
            {execution && tabButton("events", `Events (${execution.events.length})`)}
            {execution && tabButton("table", "Table")}
            {execution && tabButton("timeline", "Timeline")}
            {progress !== null && tabButton("waiting", `Waiting (${pending.length})`)}
            {tabButton("history", `History (${history.length})`)}
          </div>
          {tab === "history" && (
            <RunHistory
              runs={history}
              current={execution?.id ?? null}
              onOpen={(id) => rpc("open_execution", { id }).then(onExecution, (e: unknown) => setError(errorMessage(e)))}
            />
          )}
          {tab === "state" && execution && <StatePipeline execution={execution} state={state} shown={shown} run={run} />}
          {tab === "waiting" && (
            <PendingTasks tasks={pending} onAnswer={(taskId, reply) => void live.answer(taskId, reply)} />
          )}
          {tab === "events" && execution && run && <EventsView events={execution.events} run={run} />}
          {tab === "table" && run && <VisitsTable run={run} selectedState={selectedState} onSelectState={onSelectState} />}
          {tab === "timeline" && run && <Timeline run={run} onSelectState={onSelectState} />}
        </div>
      )}
    </section>
  );
}
