import type { AnchorSide } from "./anchors.ts";

/**
 * The plain text of a suggestion's target and a way to anchor offsets in it. Offsets are
 * UTF-16 code units, as in JavaScript strings. A view is a snapshot: build a new one after
 * the document changed.
 */
export interface SuggestionTextView {
  readonly text: string;
  /** An encoded Yjs relative position at `offset` (see {@link AnchorSide}). */
  anchor(offset: number, side: AnchorSide): Uint8Array;
}

/** What the suggestion operations need beyond the public view. */
export interface TargetTextView extends SuggestionTextView {
  /** The offset an anchor points at now, or null when it no longer points into this target. */
  resolve(anchor: Uint8Array): number | null;
  /**
   * Replaces `[from, to)` with `text`. Must run inside a transaction. Returns the anchors
   * of the text it wrote (both at `from` when `text` is empty).
   */
  replace(from: number, to: number, text: string): { from: Uint8Array; to: Uint8Array };
}
