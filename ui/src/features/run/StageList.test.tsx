import { afterEach, expect, it } from "vitest";
import { cleanup, render } from "@testing-library/react";
import { StageList, baseOf } from "./StageList";

afterEach(cleanup);

const stages = [
  { name: "input", value: '{\n  "a": 1\n}' },
  { name: "afterInputPath", value: '{\n  "a": 1\n}' },
  { name: "result", value: '{\n  "r": 2\n}' },
  { name: "afterResultPath", value: '{\n  "a": 1,\n  "r": 2\n}' },
  { name: "output", value: '{\n  "a": 1,\n  "r": 2\n}' },
];

it("compares ResultPath's value with the raw input it merges into", () => {
  expect(baseOf(stages, "afterResultPath")?.name).toBe("input");
  expect(baseOf(stages, "output")?.name).toBe("afterResultPath");
  expect(baseOf(stages, "result")).toBeNull();
});

it("marks the lines a stage changed and says when it changed nothing", () => {
  const { container } = render(<StageList stages={stages} />);
  const changed = (name: string) =>
    [...container.querySelectorAll(`[data-stage=${name}] .stage-line.changed`)].map((l) => l.textContent?.trim());
  expect(changed("afterResultPath")).toEqual(['"a": 1,', '"r": 2']);
  expect(changed("result")).toEqual([]);
  expect(container.querySelector("[data-stage=afterInputPath] [data-unchanged]")).not.toBeNull();
  expect(container.querySelector("[data-stage=afterResultPath] [data-unchanged]")).toBeNull();
});
