import { observeSuggestions, readSuggestions, reviewableStatuses, type SuggestionSnapshot } from "@cocanvas/content";
import type { Extension, Range } from "@codemirror/state";
import { Decoration, WidgetType, type DecorationSet } from "@codemirror/view";
import type * as Y from "yjs";
import { codeFilePath, docDecorations } from "./doc-decorations.ts";
import { suggestionWidget, type SuggestionHandlers } from "../suggestion-widget.ts";

const widgetCleanups = new WeakMap<Node, () => void>();

class SuggestionWidget extends WidgetType {
  constructor(
    private readonly doc: Y.Doc,
    readonly suggestion: SuggestionSnapshot,
    private readonly handlers: SuggestionHandlers,
  ) {
    super();
  }

  // The same suggestion in the same status keeps its element, which follows streamed text itself.
  eq(other: SuggestionWidget): boolean {
    return other.suggestion.id === this.suggestion.id && other.suggestion.status === this.suggestion.status;
  }

  toDOM(): HTMLElement {
    const widget = suggestionWidget(this.doc, this.suggestion, this.handlers);
    widgetCleanups.set(widget.dom, widget.destroy);
    return widget.dom;
  }

  destroy(dom: HTMLElement): void {
    widgetCleanups.get(dom)?.();
  }

  ignoreEvent(): boolean {
    return true;
  }
}

/**
 * Draws the AI suggestions of one code file in CodeMirror: the replaced range struck
 * through, the new text as a widget after it (live while streaming) with Accept / Reject.
 * Decorations follow edits at once and are redrawn from the Y.Doc a frame later (to see
 * which went stale).
 */
export function suggestionDecorations(doc: Y.Doc, text: Y.Text, handlers: SuggestionHandlers): Extension {
  return docDecorations(
    text,
    (view) => decorationsFor(doc, text, view.state.doc.length, handlers),
    (_view, refresh) => observeSuggestions(doc, refresh),
  );
}

function decorationsFor(doc: Y.Doc, text: Y.Text, length: number, handlers: SuggestionHandlers): DecorationSet {
  const path = codeFilePath(text);
  if (!path) return Decoration.none;
  const ranges: Range<Decoration>[] = [];
  for (const suggestion of readSuggestions(doc, { target: { kind: "code", path }, statuses: reviewableStatuses })) {
    if (suggestion.from === null || suggestion.to === null) continue;
    const from = Math.min(suggestion.from, length);
    const to = Math.min(suggestion.to, length);
    const attributes = { style: `--suggestion-color: ${suggestion.agent.color}` };
    if (from < to) ranges.push(Decoration.mark({ class: `suggestion-deletion${suggestion.status === "stale" ? " is-stale" : ""}`, attributes }).range(from, to));
    ranges.push(Decoration.widget({ widget: new SuggestionWidget(doc, suggestion, handlers), side: 1 }).range(to));
  }
  return Decoration.set(ranges, true);
}
