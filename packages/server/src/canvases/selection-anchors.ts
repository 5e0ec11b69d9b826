import { suggestionTextView, type SuggestionTarget } from "@cocanvas/content";
import { ApiError, type AiSelection } from "@cocanvas/protocol";
import * as Y from "yjs";

/** A range as the runtime keeps it: encoded Yjs relative positions in a target's text. */
export interface SelectionAnchors {
  from: Uint8Array;
  to: Uint8Array;
}

/** One base64 Yjs relative position from a request; 400 when it is not one. */
function relativePosition(value: string, field: string): Uint8Array {
  const bytes = Uint8Array.from(Buffer.from(value, "base64"));
  try {
    if (bytes.length === 0) throw new Error("empty");
    Y.decodeRelativePosition(bytes);
  } catch {
    throw new ApiError("invalid_request", `Invalid request body: selection.${field} is not a Yjs relative position (base64).`);
  }
  return bytes;
}

/** Checks what can be checked without the document (relative positions decode), so bad input fails before anything is opened. */
export function checkSelection(selection: AiSelection): void {
  if (selection.from !== undefined) relativePosition(selection.from, "from");
  if (selection.to !== undefined) relativePosition(selection.to, "to");
}

/** Encodes anchors for a request body (`{from, to}`, base64), e.g. to hand a resolved range on. */
export function selectionOf(anchors: SelectionAnchors, path?: string): AiSelection {
  return { ...(path ? { path } : {}), from: Buffer.from(anchors.from).toString("base64"), to: Buffer.from(anchors.to).toString("base64") };
}

/**
 * Turns a request's range — Yjs relative positions, a quoted passage or character offsets
 * — into anchors in the target's text as it is now (`suggestionTextView`). Offsets and
 * quotes are anchored like an editor's selection: the start with assoc 0, the end with
 * assoc -1 (an empty range: both -1), so text typed right outside the range stays outside.
 * Throws 400 naming the field when the quote is not there (or is ambiguous) or the offsets
 * are past the end.
 */
export function anchorSelection(doc: Y.Doc, target: SuggestionTarget, selection: AiSelection): SelectionAnchors {
  if (selection.from !== undefined && selection.to !== undefined) return { from: relativePosition(selection.from, "from"), to: relativePosition(selection.to, "to") };
  let view: ReturnType<typeof suggestionTextView>;
  try {
    view = suggestionTextView(doc, target);
  } catch {
    throw new ApiError("not_found", `The canvas has no file "${target.kind === "code" ? target.path : ""}".`);
  }
  const where = target.kind === "code" ? `the file ${target.path}` : "the canvas text";
  let start: number;
  let end: number;
  if (selection.quote !== undefined) {
    const found: number[] = [];
    for (let at = view.text.indexOf(selection.quote); at !== -1; at = view.text.indexOf(selection.quote, at + 1)) found.push(at);
    if (found.length === 0) throw new ApiError("invalid_request", `Invalid request body: selection.quote does not occur in ${where}.`);
    if (selection.occurrence === undefined && found.length > 1) {
      throw new ApiError("invalid_request", `Invalid request body: selection.quote occurs ${found.length} times in ${where}; give selection.occurrence (1 to ${found.length}).`);
    }
    const index = (selection.occurrence ?? 1) - 1;
    if (index >= found.length) throw new ApiError("invalid_request", `Invalid request body: selection.occurrence is ${index + 1}, but the quote occurs ${found.length} time${found.length === 1 ? "" : "s"} in ${where}.`);
    start = found[index]!;
    end = start + selection.quote.length;
  } else {
    start = selection.start!;
    end = selection.end!;
    if (end > view.text.length) throw new ApiError("invalid_request", `Invalid request body: selection.end is ${end}, past the end of ${where} (${view.text.length} characters).`);
  }
  if (start === end) return { from: view.anchor(start, "end"), to: view.anchor(end, "end") };
  return { from: view.anchor(start, "start"), to: view.anchor(end, "end") };
}
