import type * as Y from "yjs";
import { docFragmentName } from "../doc-canvas/doc-canvas.ts";
import { codeFileText, codeFileTextOfAnchor, codeTextView, pathOfCodeFileText } from "./code-text-view.ts";
import { DocTextView } from "./doc-text-view.ts";
import { bytesField, targetOf, type SuggestionTarget } from "./suggestion-model.ts";
import type { SuggestionTextView, TargetTextView } from "./text-view.ts";

/**
 * The plain text of a suggestion target and a way to anchor offsets in it.
 *
 * - Code: the file's text; offsets are CodeMirror offsets.
 * - Doc: the document's textblocks (paragraphs, headings, list items, code blocks, table
 *   cells…) joined with "\n"; a hard break reads as "\n" too.
 *
 * Throws when a code target names no file.
 *
 * @example
 * ```ts
 * const view = suggestionTextView(doc, { kind: "doc" });
 * const from = view.text.indexOf("quick brown fox");
 * const anchors = { from: view.anchor(from, "start"), to: view.anchor(from + 15, "end") };
 * ```
 */
export function suggestionTextView(doc: Y.Doc, target: SuggestionTarget): SuggestionTextView {
  return targetTextView(doc, target);
}

export function targetTextView(doc: Y.Doc, target: SuggestionTarget): TargetTextView {
  if (target.kind === "doc") return new DocTextView(doc.getXmlFragment(docFragmentName));
  const text = codeFileText(doc, target.path);
  if (!text) throw new Error(`There is no code file at ${target.path}.`);
  return codeTextView(text);
}

/**
 * Where two anchors (from `suggestionTextView(…).anchor` or `selectionAnchors`) point now,
 * in the offsets of the same target's text view; null when either no longer points into
 * the target.
 */
export function resolveSuggestionRange(doc: Y.Doc, target: SuggestionTarget, from: Uint8Array, to: Uint8Array): { from: number; to: number } | null {
  let view: TargetTextView;
  try {
    view = targetTextView(doc, target);
  } catch {
    return null;
  }
  const start = view.resolve(from);
  const end = view.resolve(to);
  if (start === null || end === null) return null;
  return { from: start, to: Math.max(start, end) };
}

/** Builds each target's view once while reading or deciding several suggestions. */
export class TargetViews {
  private docView: DocTextView | null = null;
  private readonly codeViews = new Map<Y.Text, TargetTextView>();

  constructor(private readonly doc: Y.Doc) {}

  /**
   * The view a suggestion lives in and its target as it is now. A code suggestion follows
   * its file through renames: the anchors name the file's text, not its path.
   */
  forEntry(entry: Y.Map<unknown>): { view: TargetTextView; target: SuggestionTarget } | null {
    const target = targetOf(entry);
    if (target.kind === "doc") return { view: this.forDoc(), target };
    const text = codeFileTextOfAnchor(this.doc, bytesField(entry, "from")) ?? codeFileText(this.doc, target.path);
    if (!text) return null;
    let view = this.codeViews.get(text);
    if (!view) this.codeViews.set(text, (view = codeTextView(text)));
    return { view, target: { kind: "code", path: pathOfCodeFileText(text) ?? target.path } };
  }

  private forDoc(): DocTextView {
    return (this.docView ??= new DocTextView(this.doc.getXmlFragment(docFragmentName)));
  }
}
