// A small CodeMirror JSON editor for one field's value (Parameters, Arguments, Output, Assign…).
// The text is a draft: it is applied on blur or Ctrl+Enter, and only when it parses; otherwise
// the parse error shows under it and the draft stays as typed. A new value from Rust replaces
// the text only while there is no unapplied draft, so nothing the user typed is lost; drafts
// are also kept in the inspector's `Drafts` by pointer, so picking another state and coming
// back finds them again. Escape goes back to the value.
import { createContext, useContext, useEffect, useRef, useState } from "react";
import { minimalSetup } from "codemirror";
import { Compartment, EditorState, Prec } from "@codemirror/state";
import { EditorView, keymap, placeholder as placeholderText } from "@codemirror/view";
import { editorTheme } from "../editor/theme";
import { json } from "@codemirror/lang-json";
import { formatJson, parseJson, type Json } from "./model";

/** Unapplied drafts by field pointer, kept while the inspector lives. */
export const Drafts = createContext<Map<string, string> | null>(null);

type Props = {
  /** The field's JSON Pointer: where its draft is kept. */
  pointer: string;
  /** The field's current value; undefined when the field is absent. */
  value: unknown;
  /** Called with the parsed value (undefined removes the field) when the draft differs. */
  onApply: (value: Json | undefined) => void;
  /** The accessible name of the editor. */
  label: string;
  placeholder?: string;
  disabled?: boolean;
};

export function JsonField({ pointer, value, onApply, label, placeholder, disabled = false }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const formatted = formatJson(value);
  // The text of the value last shown: the draft is "clean" while the editor still holds it.
  const shown = useRef(formatted);
  const drafts = useContext(Drafts);
  // A draft left here earlier comes back with its error.
  const [draft] = useState(() => drafts?.get(pointer));
  const [error, setError] = useState<string | null>(() => {
    const parsed = draft === undefined ? null : parseJson(draft);
    return parsed !== null && !parsed.ok ? parsed.error : null;
  });
  const editable = useRef(new Compartment());
  // The editor is built once and reads the latest callback here.
  const apply = useRef(onApply);
  useEffect(() => {
    apply.current = onApply;
  }, [onApply]);

  useEffect(() => {
    if (!host.current) return;
    const commit = () => {
      const editor = view.current;
      if (!editor) return true;
      const parsed = parseJson(editor.state.doc.toString());
      if (!parsed.ok) {
        setError(parsed.error);
        return true;
      }
      setError(null);
      if (formatJson(parsed.value) !== shown.current) apply.current(parsed.value);
      return true;
    };
    const revert = (editor: EditorView) => {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: shown.current } });
      setError(null);
      return true;
    };
    view.current = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: draft ?? shown.current,
        extensions: [
          Prec.high(
            keymap.of([
              { key: "Mod-Enter", run: commit },
              { key: "Escape", run: revert },
            ]),
          ),
          minimalSetup,
          editorTheme,
          json(),
          EditorView.lineWrapping,
          editable.current.of(EditorView.editable.of(!disabled)),
          EditorView.contentAttributes.of({ "aria-label": label }),
          placeholderText(placeholder ?? "absent"),
          EditorView.domEventHandlers({ blur: () => void commit() }),
          EditorView.updateListener.of((update) => {
            if (!update.docChanged) return;
            const text = update.state.doc.toString();
            if (text === shown.current) drafts?.delete(pointer);
            else drafts?.set(pointer, text);
            // A shown error goes away as soon as the draft parses again.
            if (parseJson(text).ok) setError(null);
          }),
        ],
      }),
    });
    return () => {
      view.current?.destroy();
      view.current = null;
    };
    // The editor is built once per field; its label, placeholder and first `disabled` are read once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const current = editor.state.doc.toString();
    const clean = current === shown.current || formatJson(parseJsonOr(current)) === formatted;
    shown.current = formatted;
    if (clean && current !== formatted) {
      editor.dispatch({ changes: { from: 0, to: current.length, insert: formatted } });
      setError(null);
    }
  }, [formatted]);

  useEffect(() => {
    view.current?.dispatch({
      effects: editable.current.reconfigure(EditorView.editable.of(!disabled)),
    });
  }, [disabled]);

  return (
    <div className={`json-field${error !== null ? " json-field-invalid" : ""}`}>
      <div className="json-field-editor" ref={host} />
      {error !== null && (
        <div className="field-problem field-problem-error" role="alert">
          Not applied: {error}
        </div>
      )}
    </div>
  );
}

/** The parsed text, or a marker that never equals a formatted value. */
function parseJsonOr(text: string): unknown {
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : Symbol("unparsed");
}
