// The look of every CodeMirror editor (the code view, the inspector's JSON fields), light or
// dark: colours are CSS variables set by the window's theme (styles.css, `.theme-dark`), so an
// editor follows the system theme without being rebuilt when it changes.
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { EditorView } from "@codemirror/view";
import { tags } from "@lezer/highlight";

const highlight = HighlightStyle.define([
  { tag: tags.propertyName, color: "var(--syntax-property)" },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--syntax-string)" },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: "var(--syntax-literal)" },
  { tag: [tags.keyword, tags.definition(tags.propertyName)], color: "var(--syntax-keyword)" },
  { tag: [tags.comment, tags.meta], color: "var(--muted)", fontStyle: "italic" },
  { tag: tags.invalid, color: "var(--error)" },
]);

const look = EditorView.theme({
  "&": { color: "var(--text)", backgroundColor: "transparent" },
  ".cm-content": { caretColor: "var(--text)" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--text)" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection":
    { backgroundColor: "var(--editor-selection)" },
  ".cm-activeLine": { backgroundColor: "var(--editor-active-line)" },
  ".cm-gutters": { backgroundColor: "var(--panel)", color: "var(--muted)", borderColor: "var(--border)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--editor-active-line)" },
  ".cm-tooltip": { color: "var(--text)", backgroundColor: "var(--panel)", border: "1px solid var(--border)" },
  ".cm-tooltip-autocomplete ul li[aria-selected]": { color: "var(--panel)", backgroundColor: "var(--accent)" },
  ".cm-placeholder": { color: "var(--muted)" },
  ".cm-foldPlaceholder": { color: "var(--muted)", backgroundColor: "var(--bg)", borderColor: "var(--border)" },
});

/** The editors' colours and syntax highlighting, light or dark with the window. */
export const editorTheme = [look, syntaxHighlighting(highlight)];
