// Run the open workflow locally and see what happened: the status, the output or the error, the
// data pipeline of the state selected on the canvas, and the history shaped like AWS's.
import { useEffect, useState } from "react";
import { AWS_PRICES, costOf, usd, type Prices } from "./cost";
import {
  errorMessage,
  rpc,
  type ExecutionSummary,
  type ExecutionView,
  type RunSetup,
} from "../../ipc/rpc";

type Props = {
  documentId: number;
  execution: ExecutionView | null;
  onExecution: (execution: ExecutionView | null) => void;
  /** The state selected on the canvas, by name. */
  selectedState: string | null;
};

const LEGEND = [
  ["succeeded", "Succeeded"],
  ["failed", "Failed"],
  ["caught", "Caught error"],
  ["cancelled", "Cancelled"],
  ["none", "Not run"],
] as const;

function eventStateName(event: Record<string, unknown>): string {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith("EventDetails") && typeof value === "object" && value !== null) {
      const name = (value as Record<string, unknown>).name;
      if (typeof name === "string") return name;
    }
  }
  return "";
}

export function RunPanel({ documentId, execution, onExecution, selectedState }: Props) {
  const [setup, setSetup] = useState<RunSetup | null>(null);
  const [input, setInput] = useState("{}");
  const [testCase, setTestCase] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [tab, setTab] = useState<"state" | "events" | "history">("state");
  const [history, setHistory] = useState<ExecutionSummary[]>([]);
  const refreshHistory = () =>
    rpc("list_executions", { documentId }).then(setHistory, () => setHistory([]));

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

  const start = () => {
    setRunning(true);
    setError(null);
    rpc("run_execution", { documentId, input, testCase: testCase === "" ? null : testCase })
      .then(onExecution, (e: unknown) => {
        onExecution(null);
        setError(errorMessage(e));
      })
      .finally(() => {
        setRunning(false);
        void refreshHistory();
      });
  };

  const state = execution?.states.find((s) => s.name === selectedState) ?? null;
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
      <div className="run-setup">
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
          <button type="button" className="run-start" onClick={start} disabled={running}>
            {running ? "Running…" : "Start"}
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
          {execution && cost && (
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
        {error !== null && (
          <p className="run-refused" role="alert">
            {error}
          </p>
        )}
      </div>
      {(execution || history.length > 0) && (
        <div className="run-result">
          <div className="run-tabs" role="tablist">
            <button type="button" role="tab" aria-selected={tab === "state"} onClick={() => setTab("state")}>
              State {selectedState ? `· ${selectedState}` : ""}
            </button>
            {execution && (
              <button type="button" role="tab" aria-selected={tab === "events"} onClick={() => setTab("events")}>
                Events ({execution.events.length})
              </button>
            )}
            <button type="button" role="tab" aria-selected={tab === "history"} onClick={() => setTab("history")}>
              History ({history.length})
            </button>
          </div>
          {tab === "history" && (
            <div className="events history">
              <table>
                <thead>
                  <tr>
                    <th>Run</th>
                    <th>Status</th>
                    <th>Started</th>
                    <th>Duration</th>
                  </tr>
                </thead>
                <tbody>
                  {history.map((run) => (
                    <tr
                      key={run.id}
                      className={execution?.id === run.id ? "current" : undefined}
                      data-execution-id={run.id}
                      onClick={() =>
                        rpc("open_execution", { id: run.id }).then(onExecution, (e: unknown) =>
                          setError(errorMessage(e)),
                        )
                      }
                    >
                      <td>{run.name}</td>
                      <td className={`run-status-${run.status.toLowerCase()}`}>{run.status}</td>
                      <td>{new Date(run.startedMs).toLocaleString()}</td>
                      <td>{run.endedMs === null ? "—" : `${Math.round(run.endedMs - run.startedMs)} ms`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {tab === "state" && execution && (
            <div className="pipeline" data-testid="pipeline">
              {state === null ? (
                <p className="hint">
                  {selectedState ? `${selectedState} did not run.` : "Select a state to see its data at each stage."}
                  {execution.output && !selectedState && <pre className="stage-value">{execution.output}</pre>}
                </p>
              ) : (
                state.stages.map((stage) => (
                  <div key={stage.name} className="stage">
                    <span className="stage-name">{stage.name}</span>
                    <pre className="stage-value">{stage.value}</pre>
                  </div>
                ))
              )}
            </div>
          )}
          {tab === "events" && execution && (
            <div className="events">
              <table>
                <thead>
                  <tr>
                    <th>Id</th>
                    <th>Type</th>
                    <th>State</th>
                    <th>Timestamp</th>
                  </tr>
                </thead>
                <tbody>
                  {execution.events.map((event) => (
                    <tr key={String(event.id)}>
                      <td>{String(event.id)}</td>
                      <td>{String(event.type)}</td>
                      <td>{eventStateName(event)}</td>
                      <td>{String(event.timestamp)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
