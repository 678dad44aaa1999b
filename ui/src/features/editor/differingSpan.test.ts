import { expect, it } from "vitest";
import { differingSpan } from "./CodeView";

it("replaces only the span between the common prefix and suffix", () => {
  const before = '{\n  "Type": "Pass",\n  "Next": "B"\n}';
  const after = '{\n  "Type": "Wait",\n  "Seconds": 5,\n  "Next": "B"\n}';
  const change = differingSpan(before, after);
  expect(before.slice(0, change.from) + change.insert + before.slice(change.to)).toBe(after);
  expect(change.insert.length).toBeLessThan(after.length / 2);
  expect(differingSpan("abc", "abc")).toEqual({ from: 3, to: 3, insert: "" });
  expect(differingSpan("aaa", "aaaa")).toEqual({ from: 3, to: 3, insert: "a" });
  expect(differingSpan("", "x")).toEqual({ from: 0, to: 0, insert: "x" });
});
