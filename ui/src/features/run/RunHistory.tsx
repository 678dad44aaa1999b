// The document's past runs from the execution history; a row opens that run in the panel.
import type { ExecutionSummary } from "../../ipc/rpc";

type Props = {
  runs: ExecutionSummary[];
  /** The id of the run shown, marked in the list. */
  current: number | null;
  onOpen: (id: number) => void;
};

export function RunHistory({ runs, current, onOpen }: Props) {
  return (
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
          {runs.map((run) => (
            <tr
              key={run.id}
              className={current === run.id ? "current" : undefined}
              data-execution-id={run.id}
              onClick={() => onOpen(run.id)}
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
  );
}
