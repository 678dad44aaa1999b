import { act, render, waitFor } from "@testing-library/react";
import { EditorView } from "@codemirror/view";
import { describe, expect, it, vi } from "vitest";
import { CodeView } from "./CodeView";

const props = {
  diagnostics: [],
  authoritative: true,
  format: "json",
  onUndo: () => undefined,
  onRedo: () => undefined,
  reveal: null,
  onCursor: () => undefined,
  completion: { vocabulary: null, stateNames: [] },
};

function editorOf(container: HTMLElement): EditorView {
  const dom = container.querySelector(".cm-editor");
  const view = dom && EditorView.findFromDOM(dom as HTMLElement);
  if (!view) throw new Error("no editor");
  return view;
}

describe("CodeView", () => {
  it("shows Rust's text after the frame the other views drew for the same change", async () => {
    const { container, rerender } = render(<CodeView {...props} text='{"a": 1}' onChange={vi.fn()} />);
    await waitFor(() => expect(editorOf(container).state.doc.toString()).toBe('{"a": 1}'));
    rerender(<CodeView {...props} text='{"a": 2}' onChange={vi.fn()} />);
    expect(editorOf(container).state.doc.toString()).toBe('{"a": 1}');
    await waitFor(() => expect(editorOf(container).state.doc.toString()).toBe('{"a": 2}'));
  });

  it("never replaces what the user typed while Rust's text waited for its frame", async () => {
    const onChange = vi.fn();
    const { container, rerender } = render(<CodeView {...props} text='{"a": 1}' onChange={onChange} />);
    const editor = editorOf(container);
    await waitFor(() => expect(editor.state.doc.toString()).toBe('{"a": 1}'));
    rerender(<CodeView {...props} text='{"a": 2}' onChange={onChange} />);
    act(() => editor.dispatch({ changes: { from: 8, insert: " " } }));
    await new Promise((done) => setTimeout(done, 50));
    expect(editor.state.doc.toString()).toBe('{"a": 1} ');
    expect(onChange).toHaveBeenCalledWith('{"a": 1} ');
  });
});
