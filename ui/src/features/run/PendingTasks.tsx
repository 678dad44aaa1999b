// Tasks a live run waits on: callback tasks (.waitForTaskToken) and activities, with their token
// and input, answered as SendTaskSuccess, SendTaskFailure or SendTaskHeartbeat would.
import { useState } from "react";
import type { PendingTaskView, TaskReply } from "../../ipc/rpc";

type Props = {
  tasks: PendingTaskView[];
  onAnswer: (taskId: string, reply: TaskReply) => void;
};

export function PendingTasks({ tasks, onAnswer }: Props) {
  if (tasks.length === 0) {
    return (
      <div className="pending" data-testid="pending-tasks">
        <p className="hint">No task is waiting for an answer.</p>
      </div>
    );
  }
  return (
    <div className="pending pipeline" data-testid="pending-tasks">
      {tasks.map((task) => (
        <PendingTask key={task.id} task={task} onAnswer={onAnswer} />
      ))}
    </div>
  );
}

function PendingTask({ task, onAnswer }: { task: PendingTaskView; onAnswer: Props["onAnswer"] }) {
  const [output, setOutput] = useState("{}");
  const [error, setError] = useState("");
  const [cause, setCause] = useState("");
  let outputError: string | null = null;
  try {
    JSON.parse(output);
  } catch (e) {
    outputError = e instanceof Error ? e.message : String(e);
  }
  return (
    <section className="pending-task" aria-label={`Waiting: ${task.stateName}`} data-task-state={task.stateName}>
      <strong>{task.stateName}</strong>
      <span className="run-source">{task.resource}</span>
      {task.taskToken !== null && (
        <span>
          Task token: <code className="token">{task.taskToken}</code>
        </span>
      )}
      <label className="run-input">
        <span>Output</span>
        <textarea
          aria-label={`Output of ${task.stateName}`}
          value={output}
          spellCheck={false}
          onChange={(event) => setOutput(event.target.value)}
        />
      </label>
      {outputError !== null && <span className="run-error">Not JSON: {outputError}</span>}
      <div className="row">
        <button
          type="button"
          className="send-success"
          disabled={outputError !== null}
          onClick={() => onAnswer(task.id, { kind: "success", output })}
        >
          Send success
        </button>
        <button type="button" className="send-heartbeat" onClick={() => onAnswer(task.id, { kind: "heartbeat" })}>
          Heartbeat{task.heartbeats > 0 ? ` (${task.heartbeats})` : ""}
        </button>
      </div>
      <div className="row">
        <input aria-label={`Error of ${task.stateName}`} placeholder="Error" value={error} onChange={(e) => setError(e.target.value)} />
        <input aria-label={`Cause of ${task.stateName}`} placeholder="Cause" value={cause} onChange={(e) => setCause(e.target.value)} />
        <button
          type="button"
          className="send-failure"
          disabled={error.trim() === ""}
          onClick={() => onAnswer(task.id, { kind: "failure", error: error.trim(), cause: cause === "" ? null : cause })}
        >
          Send failure
        </button>
      </div>
      <details className="pending-input" open>
        <summary className="stage-name">Its input</summary>
        <pre className="stage-value">{task.input}</pre>
      </details>
    </section>
  );
}
