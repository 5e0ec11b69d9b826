import * as Y from "yjs";
import { richTextSchema } from "../rich-text/rich-text-extensions.ts";
import { clamp, decodeAnchor, encodeAnchor, isLiveInside, type AnchorSide, type TypePosition } from "./anchors.ts";
import { replaceDocRange } from "./doc-replace.ts";
import type { TargetTextView } from "./text-view.ts";

/** One child of a textblock: a run of text (Y.XmlText) or an inline node such as a hard break. */
export interface DocBlockChild {
  node: Y.XmlText | Y.XmlElement;
  /** Its index among the block element's children. */
  index: number;
  /** Offset of its first character inside the block. */
  start: number;
  length: number;
}

/** A textblock (paragraph, heading, code block…) and where its text sits in the view. */
export interface DocBlock {
  element: Y.XmlElement;
  start: number;
  length: number;
  text: string;
  children: DocBlockChild[];
}

/** How an inline node reads in the plain text: a hard break is a line break, anything else one object character. */
export function inlineNodeText(nodeName: string): string {
  return nodeName === "hardBreak" ? "\n" : "\uFFFC";
}

export function isTextblockName(nodeName: string): boolean {
  return richTextSchema.nodes[nodeName]?.isTextblock === true;
}

function plainText(text: Y.XmlText): string {
  // toString() would include the marks as tags; the delta has the bare characters.
  return text
    .toDelta()
    .map((op: { insert?: unknown }) => (typeof op.insert === "string" ? op.insert : "\uFFFC"))
    .join("");
}

/**
 * The plain text of a doc canvas, read straight from its Y.XmlFragment: the textblocks in
 * document order (nested ones in lists, quotes and table cells included) joined with
 * "\n". Blocks without text (images, rules) take no room. Each offset maps to a position
 * in a Y.XmlText (or a textblock element), so anchors are ordinary Yjs relative positions
 * that y-prosemirror understands too.
 */
export class DocTextView implements TargetTextView {
  readonly text: string;
  readonly blocks: DocBlock[] = [];
  private readonly places = new Map<Y.AbstractType<any>, { block: DocBlock; child?: DocBlockChild }>();

  constructor(readonly fragment: Y.XmlFragment) {
    this.collect(fragment);
    this.text = this.blocks.map((block) => block.text).join("\n");
  }

  anchor(offset: number, side: AnchorSide): Uint8Array {
    return encodeAnchor(this.locate(offset, side), side);
  }

  resolve(anchor: Uint8Array): number | null {
    const position = decodeAnchor(this.fragment.doc!, anchor);
    if (!position || !isLiveInside(position.type, this.fragment)) return null;
    const place = this.places.get(position.type);
    if (place?.child) return place.block.start + place.child.start + clamp(position.index, 0, place.child.length);
    if (place) return place.block.start + this.offsetOfChildIndex(place.block, position.index);
    return this.offsetBetweenBlocks(position);
  }

  replace(from: number, to: number, text: string): { from: Uint8Array; to: Uint8Array } {
    return replaceDocRange(this, from, to, text);
  }

  /** The textblock an offset falls in (blocks are separated by one "\n", so there is one). */
  blockAt(offset: number): DocBlock | null {
    let low = 0;
    let high = this.blocks.length - 1;
    let found: DocBlock | null = null;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const block = this.blocks[middle]!;
      if (block.start <= offset) {
        found = block;
        low = middle + 1;
      } else high = middle - 1;
    }
    return found ?? this.blocks[0] ?? null;
  }

  /**
   * The Yjs position of an offset. A `start` position is taken at the character after the
   * offset and an `end` position at the character before it, so the anchor sits on the
   * very character it sticks to (inside a text run when there is one).
   */
  locate(offset: number, side: AnchorSide): TypePosition {
    const block = this.blockAt(offset);
    if (!block) return { type: this.fragment, index: 0 };
    const local = clamp(offset - block.start, 0, block.length);
    return side === "start" ? this.locateBefore(block, local) : this.locateAfter(block, local);
  }

  private locateBefore(block: DocBlock, local: number): TypePosition {
    const child = block.children.find((candidate) => candidate.start <= local && local < candidate.start + candidate.length);
    if (child) return child.node instanceof Y.XmlText ? { type: child.node, index: local - child.start } : { type: block.element, index: child.index };
    const last = block.children.at(-1);
    if (last && last.node instanceof Y.XmlText) return { type: last.node, index: last.length };
    return { type: block.element, index: block.element.length };
  }

  private locateAfter(block: DocBlock, local: number): TypePosition {
    if (local === 0) {
      const first = block.children[0];
      return first && first.node instanceof Y.XmlText ? { type: first.node, index: 0 } : { type: block.element, index: 0 };
    }
    const child = block.children.find((candidate) => candidate.start < local && local <= candidate.start + candidate.length)!;
    return child.node instanceof Y.XmlText ? { type: child.node, index: local - child.start } : { type: block.element, index: child.index + 1 };
  }

  private collect(parent: Y.XmlFragment | Y.XmlElement): void {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (isTextblockName(child.nodeName)) this.addBlock(child);
      else this.collect(child);
    }
  }

  private addBlock(element: Y.XmlElement): void {
    const start = this.blocks.length === 0 ? 0 : this.blocks.at(-1)!.start + this.blocks.at(-1)!.length + 1;
    const block: DocBlock = { element, start, length: 0, text: "", children: [] };
    const parts: string[] = [];
    element.toArray().forEach((node, index) => {
      const text = node instanceof Y.XmlText ? plainText(node) : inlineNodeText(node instanceof Y.XmlElement ? node.nodeName : "");
      if (node instanceof Y.XmlText || node instanceof Y.XmlElement) {
        const child: DocBlockChild = { node, index, start: block.length, length: text.length };
        block.children.push(child);
        this.places.set(node, { block, child });
      }
      parts.push(text);
      block.length += text.length;
    });
    block.text = parts.join("");
    this.blocks.push(block);
    this.places.set(element, { block });
  }

  private offsetOfChildIndex(block: DocBlock, index: number): number {
    return block.children.find((child) => child.index >= index)?.start ?? block.length;
  }

  /** A position between blocks (in a list, quote or the fragment): the start of the next textblock, else the end of the previous. */
  private offsetBetweenBlocks(position: TypePosition): number | null {
    if (!(position.type instanceof Y.XmlFragment || position.type instanceof Y.XmlElement)) return null;
    const children = position.type.toArray();
    for (let index = position.index; index < children.length; index++) {
      const block = this.firstBlockIn(children[index]);
      if (block) return block.start;
    }
    for (let index = Math.min(position.index, children.length) - 1; index >= 0; index--) {
      const block = this.lastBlockIn(children[index]);
      if (block) return block.start + block.length;
    }
    return position.type === this.fragment ? 0 : null;
  }

  private firstBlockIn(node: unknown): DocBlock | null {
    if (!(node instanceof Y.XmlElement)) return null;
    const place = this.places.get(node);
    if (place && !place.child) return place.block;
    for (const child of node.toArray()) {
      const block = this.firstBlockIn(child);
      if (block) return block;
    }
    return null;
  }

  private lastBlockIn(node: unknown): DocBlock | null {
    if (!(node instanceof Y.XmlElement)) return null;
    const place = this.places.get(node);
    if (place && !place.child) return place.block;
    const children = node.toArray();
    for (let index = children.length - 1; index >= 0; index--) {
      const block = this.lastBlockIn(children[index]);
      if (block) return block;
    }
    return null;
  }
}
