import { Slice } from "@tiptap/pm/model";
import { Transform } from "@tiptap/pm/transform";
import { initProseMirrorDoc, updateYFragment } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { markdownToDocJson } from "../markdown/markdown-to-doc.ts";
import { nodeFromJsonLeniently } from "../rich-text/node-from-json.ts";
import { richTextSchema } from "../rich-text/rich-text-extensions.ts";
import { encodeAnchor } from "./anchors.ts";
import { DocTextView, type DocBlock } from "./doc-text-view.ts";
import { ProseMirrorTextPositions } from "./prosemirror-positions.ts";

type Attributes = Record<string, unknown>;

/**
 * Replaces `[from, to)` of a doc canvas's text view with `text`, inside the caller's
 * transaction, and returns anchors of what it wrote.
 *
 * Text for one textblock (a single line, or anything inside a code block) is written
 * straight into the Y.XmlText: only the characters of the range are deleted and the new
 * ones inserted, so text others type anywhere else — even concurrently, right next to
 * the range — is never touched. Several lines are Markdown and become blocks; that needs
 * ProseMirror's replace (splitting and joining blocks), which runs on a ProseMirror copy
 * of the document and is written back with y-prosemirror's minimal diff.
 */
export function replaceDocRange(view: DocTextView, from: number, to: number, text: string): { from: Uint8Array; to: Uint8Array } {
  const block = view.blockAt(from);
  const inOneBlock = block !== null && from >= block.start && to <= block.start + block.length;
  if (inOneBlock && (!text.includes("\n") || block.element.nodeName === "codeBlock")) {
    return replaceInsideBlock(view, block, from, to, text);
  }
  return replaceThroughProseMirror(view, from, to, text);
}

function replaceInsideBlock(view: DocTextView, block: DocBlock, from: number, to: number, text: string): { from: Uint8Array; to: Uint8Array } {
  const localFrom = from - block.start;
  const localTo = to - block.start;
  // Decided before deleting: the formatting to continue and where the new text goes.
  const attributes = formattingFor(block, localFrom, localTo);
  const place = insertionPlace(block, localFrom);
  const anchorBefore = view.anchor(from, "end");
  deleteInsideBlock(block, localFrom, localTo);
  if (text === "") return { from: anchorBefore, to: anchorBefore };
  let target: Y.XmlText;
  let index: number;
  if ("text" in place) {
    target = place.text;
    index = place.index;
  } else {
    target = new Y.XmlText();
    block.element.insert(place.childIndex, [target]);
    index = 0;
  }
  target.insert(index, text, attributes);
  return { from: encodeAnchor({ type: target, index }, "start"), to: encodeAnchor({ type: target, index: index + text.length }, "end") };
}

/** Deletes the characters and inline nodes of `[localFrom, localTo)`, last first so indexes stay valid. */
function deleteInsideBlock(block: DocBlock, localFrom: number, localTo: number): void {
  for (const child of [...block.children].reverse()) {
    const start = Math.max(localFrom, child.start);
    const end = Math.min(localTo, child.start + child.length);
    if (end <= start) continue;
    if (child.node instanceof Y.XmlText) child.node.delete(start - child.start, end - start);
    else block.element.delete(child.index, 1);
  }
}

/** Where text inserted at `local` goes: into the text run before it (like typing), else the one after, else a new run. */
function insertionPlace(block: DocBlock, local: number): { text: Y.XmlText; index: number } | { childIndex: number } {
  const before = block.children.find((child) => child.node instanceof Y.XmlText && child.start < local && local <= child.start + child.length);
  if (before) return { text: before.node as Y.XmlText, index: local - before.start };
  const after = block.children.find((child) => child.node instanceof Y.XmlText && child.start === local);
  if (after) return { text: after.node as Y.XmlText, index: 0 };
  return { childIndex: block.children.find((child) => child.start >= local)?.index ?? block.children.length };
}

/**
 * The marks new text should carry: those of the first replaced character (a reworded
 * bold phrase stays bold), or for an insertion those of the character before it, as when
 * typing there (marks that do not extend when typing, such as links, are left out).
 */
function formattingFor(block: DocBlock, localFrom: number, localTo: number): Attributes {
  if (localTo > localFrom) {
    const first = attributesAt(block, localFrom);
    if (first) return first;
  }
  const before = localFrom > 0 ? attributesAt(block, localFrom - 1) : null;
  if (!before) return {};
  return Object.fromEntries(Object.entries(before).filter(([name]) => richTextSchema.marks[name.replace(/--.*$/, "")]?.spec.inclusive !== false && !name.startsWith("link")));
}

function attributesAt(block: DocBlock, local: number): Attributes | null {
  const child = block.children.find((candidate) => candidate.start <= local && local < candidate.start + candidate.length);
  if (!child || !(child.node instanceof Y.XmlText)) return null;
  let position = child.start;
  for (const op of child.node.toDelta() as { insert: unknown; attributes?: Attributes }[]) {
    const length = typeof op.insert === "string" ? op.insert.length : 1;
    if (local < position + length) return { ...(op.attributes ?? {}) };
    position += length;
  }
  return null;
}

/**
 * Structural replacement: builds the ProseMirror document from the fragment, applies
 * ProseMirror's `replaceRange` (the same fitting as pasting: Markdown blocks open at both
 * ends, so a first and last paragraph join the text around the range) and writes the
 * result back. Blocks the change does not touch are mapped, not rewritten.
 */
function replaceThroughProseMirror(view: DocTextView, from: number, to: number, text: string): { from: Uint8Array; to: Uint8Array } {
  const fragment = view.fragment;
  const { doc, meta } = initProseMirrorDoc(fragment, richTextSchema);
  const positions = new ProseMirrorTextPositions(doc);
  if (!positions.matches(view)) throw new Error("The document changed shape while reading it; try again.");
  const pmFrom = positions.toPosition(from);
  const pmTo = positions.toPosition(to);
  const transform = new Transform(doc);
  if (text === "") transform.delete(pmFrom, pmTo);
  else if (!text.includes("\n")) {
    const marks = doc.resolve(pmFrom).marksAcross(doc.resolve(pmTo)) ?? doc.resolve(pmFrom).marks();
    transform.replaceWith(pmFrom, pmTo, richTextSchema.text(text, marks));
  } else transform.replaceRange(pmFrom, pmTo, markdownSlice(text));
  updateYFragment(fragment.doc!, fragment, transform.doc, meta);
  const after = new DocTextView(fragment);
  const end = to + after.text.length - view.text.length;
  if (end <= from) return { from: after.anchor(from, "end"), to: after.anchor(from, "end") };
  return { from: after.anchor(from, "start"), to: after.anchor(end, "end") };
}

/** Markdown as a slice open as deep as it goes at both ends, like pasted content. */
function markdownSlice(markdown: string): Slice {
  const parsed = nodeFromJsonLeniently(richTextSchema, markdownToDocJson(markdown));
  return Slice.maxOpen(parsed.content);
}
