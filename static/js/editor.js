// The manifest editor: CodeMirror 6 with only what a YAML editor needs (line numbers, undo history,
// YAML highlighting, lint markers). The Rust side loads this module lazily with a dynamic import, so
// the first tables render before the editor's code has even been fetched.

import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from "@codemirror/view";
import { EditorState } from "@codemirror/state";
import { history, defaultKeymap, historyKeymap, indentWithTab } from "@codemirror/commands";
import { syntaxHighlighting, HighlightStyle, indentUnit } from "@codemirror/language";
import { tags } from "@lezer/highlight";
import { yaml } from "@codemirror/lang-yaml";
import { setDiagnostics, lintGutter } from "@codemirror/lint";

// Colours come from the page's CSS variables, so the editor follows the light and dark themes.
const highlight = HighlightStyle.define([
  { tag: tags.definition(tags.propertyName), color: "var(--syntax-key)" },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--syntax-string)" },
  { tag: tags.content, color: "var(--syntax-value)" },
  { tag: [tags.lineComment, tags.meta], color: "var(--syntax-comment)", fontStyle: "italic" },
  { tag: [tags.keyword, tags.typeName, tags.labelName], color: "var(--syntax-keyword)" },
  { tag: [tags.separator, tags.punctuation, tags.squareBracket, tags.brace], color: "var(--syntax-punctuation)" },
]);

// Creates an editor inside `parent`. `onChange(text)` is called after every edit and `onApply()` on
// Ctrl/Cmd+Enter. A `readOnly` editor shows the text and its problems but takes no typing. Returns a
// small handle the Rust side keeps.
export function createEditor(parent, text, onChange, onApply, readOnly = false) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        indentUnit.of("  "),
        EditorState.tabSize.of(2),
        keymap.of([
          // Apply must win over the default Mod-Enter binding (insert a blank line).
          { key: "Mod-Enter", run: () => { onApply(); return true; }, preventDefault: true },
          indentWithTab,
          ...defaultKeymap,
          ...historyKeymap,
        ]),
        yaml(),
        syntaxHighlighting(highlight),
        lintGutter(),
        EditorState.readOnly.of(readOnly),
        EditorView.editable.of(!readOnly),
        EditorView.contentAttributes.of({ "aria-label": "Manifest YAML", spellcheck: "false" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    // Replaces the whole text (a gallery scenario, a restored draft) as one undoable change.
    setText(next) {
      if (next === view.state.doc.toString()) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } });
    },
    // Shows located problems: each `{line, column, severity, message}` is 1-based.
    setProblems(problems) {
      const doc = view.state.doc;
      const diagnostics = [];
      for (const p of problems) {
        const lineNo = Math.min(Math.max(1, p.line), doc.lines);
        const line = doc.line(lineNo);
        const from = Math.min(line.from + Math.max(0, p.column - 1), line.to);
        // Mark the rest of the word at the position, or one character, so the underline is visible.
        let to = from;
        const rest = doc.sliceString(from, line.to);
        const word = /^[^\s:]+/.exec(rest);
        to = word ? from + word[0].length : Math.min(from + 1, line.to);
        diagnostics.push({ from, to, severity: p.severity, message: p.message });
      }
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    // Moves the cursor to a problem's position, for the Problems list.
    reveal(lineNo, column) {
      const doc = view.state.doc;
      const line = doc.line(Math.min(Math.max(1, lineNo), doc.lines));
      const pos = Math.min(line.from + Math.max(0, column - 1), line.to);
      view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
      view.focus();
    },
    focus() { view.focus(); },
  };
}
