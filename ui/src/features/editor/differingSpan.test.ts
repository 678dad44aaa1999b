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

it("finds the span wherever it falls against the blocks compared at once", () => {
  const long = "x".repeat(1000);
  for (const at of [0, 1, 255, 256, 257, 511, 512, 999]) {
    const after = long.slice(0, at) + "y" + long.slice(at + 1);
    expect(differingSpan(long, after)).toEqual({ from: at, to: at + 1, insert: "y" });
  }
  const inserted = long.slice(0, 600) + "zz" + long.slice(600);
  expect(differingSpan(long, inserted)).toEqual({ from: 600, to: 600, insert: "zz" });
  expect(differingSpan(inserted, long)).toEqual({ from: 600, to: 602, insert: "" });
});
