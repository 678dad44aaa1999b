import { describe, expect, it } from "vitest";
import css from "./styles.css?raw";

/** The custom properties a rule block defines. */
function variables(selector: string): Set<string> {
  const start = css.indexOf(`${selector} {`);
  const block = css.slice(start, css.indexOf("}", start));
  return new Set([...block.matchAll(/(--[\w-]+)\s*:/g)].map((m) => m[1] ?? ""));
}

describe("the dark theme", () => {
  it("reads the stylesheet", () => expect(css.length).toBeGreaterThan(1000));
  it("redefines every surface, text and editor colour of the light one", () => {
    // The status colours (error, warning, catch, success) read on both backgrounds.
    const shared = new Set(["--error", "--warning", "--catch", "--success"]);
    const light = [...variables(":root")].filter((name) => !shared.has(name));
    const dark = variables(".theme-dark");
    expect(light.filter((name) => !dark.has(name))).toEqual([]);
  });

  it("draws native controls (scrollbars, menus) dark too", () => {
    const start = css.indexOf(".theme-dark {");
    expect(css.slice(start, css.indexOf("}", start))).toContain("color-scheme: dark");
  });
});
