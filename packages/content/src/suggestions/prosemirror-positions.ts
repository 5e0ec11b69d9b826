import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { clamp, type AnchorSide } from "./anchors.ts";
import { inlineNodeText, type DocTextView } from "./doc-text-view.ts";

interface TextblockPlace {
  /** ProseMirror position right before the textblock. */
  pos: number;
  /** Offset of its first character in the text view. */
  start: number;
  length: number;
  text: string;
}

/**
 * Converts between ProseMirror positions and the offsets of a doc canvas's text view
 * (`suggestionTextView(doc, { kind: "doc" })`). Both sides list the same textblocks in
 * the same order — the editor's document is built from the same Y.XmlFragment — and an
 * inline node takes one position in ProseMirror and one character in the view, so the
 * k-th textblock here is the k-th block of the view.
 */
export class ProseMirrorTextPositions {
  readonly blocks: TextblockPlace[] = [];

  constructor(doc: ProseMirrorNode) {
    doc.descendants((node, pos) => {
      if (!node.isTextblock) return true;
      const previous = this.blocks.at(-1);
      const start = previous ? previous.start + previous.length + 1 : 0;
      const text = node.textBetween(0, node.content.size, undefined, (leaf) => inlineNodeText(leaf.type.name));
      this.blocks.push({ pos, start, length: node.content.size, text });
      return false;
    });
  }

  /** True when this document has the same textblocks, with the same text, as the view. */
  matches(view: DocTextView): boolean {
    return view.blocks.length === this.blocks.length && view.blocks.every((block, index) => block.text === this.blocks[index]!.text);
  }

  /** The ProseMirror position of a view offset. */
  toPosition(offset: number): number {
    const block = this.blockAtOffset(offset);
    if (!block) return 0;
    return block.pos + 1 + clamp(offset - block.start, 0, block.length);
  }

  /**
   * The view offset of a ProseMirror position. A position between blocks moves into the
   * next textblock for a `start` and into the previous one for an `end`.
   */
  toOffset(pos: number, side: AnchorSide): number {
    const inside = this.blocks.find((block) => block.pos < pos && pos <= block.pos + 1 + block.length);
    if (inside) return inside.start + (pos - inside.pos - 1);
    if (side === "start") {
      const next = this.blocks.find((block) => block.pos >= pos);
      const last = this.blocks.at(-1);
      return next ? next.start : last ? last.start + last.length : 0;
    }
    const previous = this.blocks.findLast((block) => block.pos + 1 + block.length < pos);
    return previous ? previous.start + previous.length : 0;
  }

  private blockAtOffset(offset: number): TextblockPlace | null {
    let found: TextblockPlace | null = null;
    for (const block of this.blocks) {
      if (block.start > offset) break;
      found = block;
    }
    return found ?? this.blocks[0] ?? null;
  }
}
