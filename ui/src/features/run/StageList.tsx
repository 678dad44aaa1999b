// The data pipeline of one state visit, stage by stage, with what each stage changed marked: the
// lines of its value that the stage it works on did not have.
import { changedLines } from "../simulator/model";

export type Stage = { name: string; value: string };

/**
 * The stage each stage is compared with: the one whose value it transforms. ResultPath merges the
 * result into the state's raw input (developer guide, "Specifying state output using ResultPath"),
 * so afterResultPath is compared with the input; the task result is new data, compared with nothing.
 */
const COMPARED_WITH: Record<string, string[]> = {
  afterInputPath: ["input"],
  afterParameters: ["afterInputPath", "input"],
  afterArguments: ["input"],
  afterResultSelector: ["result"],
  afterResultPath: ["input"],
  output: ["afterResultPath", "afterResultSelector", "result", "afterParameters", "afterInputPath", "input"],
  variablesAfter: ["variablesBefore"],
};

/** What a stage's value is compared with, among the stages present. */
export function baseOf(stages: readonly Stage[], name: string): Stage | null {
  for (const candidate of COMPARED_WITH[name] ?? []) {
    const found = stages.find((s) => s.name === candidate);
    if (found) return found;
  }
  return null;
}

export function StageList({ stages }: { stages: readonly Stage[] }) {
  return (
    <>
      {stages.map((stage) => {
        const base = baseOf(stages, stage.name);
        const same = base !== null && base.value === stage.value;
        const marks = changedLines(base?.value ?? null, stage.value);
        return (
          <div key={stage.name} className="stage" data-stage={stage.name}>
            <span className="stage-name" data-unchanged={same ? "" : undefined} title={same ? "unchanged" : undefined}>
              {stage.name}
            </span>
            <pre className="stage-value">
              {stage.value.split("\n").map((line, i) => (
                <span key={i} className={marks[i] ? "stage-line changed" : "stage-line"}>
                  {line}
                  {"\n"}
                </span>
              ))}
            </pre>
          </div>
        );
      })}
    </>
  );
}
