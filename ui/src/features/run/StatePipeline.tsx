// The data of one state at each stage of its last visit (input, after InputPath, …, output), or
// the run's output when no state is selected.
import type { ExecutionView, StateRunView } from "../../ipc/rpc";

type Props = {
  execution: ExecutionView;
  /** The state's run, null when it did not run or none is selected. */
  state: StateRunView | null;
  /** The name of the state selected or just run. */
  shown: string | null;
};

export function StatePipeline({ execution, state, shown }: Props) {
  return (
    <div className="pipeline" data-testid="pipeline">
      {state === null ? (
        <div className="hint">
          {shown ? `${shown} did not run.` : "Select a state to see its data at each stage."}
          {execution.output && !shown && <pre className="stage-value">{execution.output}</pre>}
        </div>
      ) : (
        state.stages.map((stage) => (
          <div key={stage.name} className="stage">
            <span className="stage-name">{stage.name}</span>
            <pre className="stage-value">{stage.value}</pre>
          </div>
        ))
      )}
    </div>
  );
}
