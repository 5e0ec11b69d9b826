import type { JSONContent } from "@tiptap/core";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { updateYFragment, yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import { proseMirrorToMarkdown } from "../markdown/doc-to-markdown.ts";
import { markdownToDocJson } from "../markdown/markdown-to-doc.ts";
import { nodeFromJsonLeniently } from "../rich-text/node-from-json.ts";
import { richTextSchema } from "../rich-text/rich-text-extensions.ts";

/** The name of the `Y.XmlFragment` that holds a doc canvas (TipTap Collaboration's default). */
export const docFragmentName = "content";

/**
 * Reads a doc canvas as a ProseMirror document of the rich-text schema.
 *
 * Reading never changes the Y.Doc (unlike y-tiptap's `yXmlFragmentToProseMirrorRootNode`,
 * which deletes elements it cannot place): content the schema refuses is repaired or
 * skipped in the result only.
 */
export function readDocNode(ydoc: Y.Doc): ProseMirrorNode {
  const json = yXmlFragmentToProsemirrorJSON(ydoc.getXmlFragment(docFragmentName)) as JSONContent;
  return nodeFromJsonLeniently(richTextSchema, json);
}

/** Reads a doc canvas as TipTap JSON (`{ type: "doc", content: [...] }`). */
export function readDocJson(ydoc: Y.Doc): JSONContent {
  return readDocNode(ydoc).toJSON() as JSONContent;
}

/** Reads a doc canvas as Markdown. */
export function readDocMarkdown(ydoc: Y.Doc): string {
  return proseMirrorToMarkdown(readDocNode(ydoc));
}

/**
 * Replaces the whole content of a doc canvas with a ProseMirror document, in one
 * transaction. Only what differs is rewritten (the same diff the editor binding uses),
 * so connected clients keep their cursors in the unchanged parts.
 */
export function writeDocNode(ydoc: Y.Doc, doc: ProseMirrorNode, origin?: unknown): void {
  const fragment = ydoc.getXmlFragment(docFragmentName);
  ydoc.transact(() => {
    updateYFragment(ydoc, fragment, doc, { mapping: new Map(), isOMark: new Map() });
    // The diff is trusted, but a wrong document is worse than a bigger update.
    if (!readDocNode(ydoc).eq(doc)) {
      fragment.delete(0, fragment.length);
      updateYFragment(ydoc, fragment, doc, { mapping: new Map(), isOMark: new Map() });
    }
  }, origin);
}

/** Replaces the whole content of a doc canvas with TipTap JSON, in one transaction. */
export function writeDocJson(ydoc: Y.Doc, json: JSONContent, origin?: unknown): void {
  writeDocNode(ydoc, nodeFromJsonLeniently(richTextSchema, json), origin);
}

/**
 * Replaces the whole content of a doc canvas with Markdown, in one transaction.
 *
 * @example
 * ```ts
 * writeDocMarkdown(document, "# Notes\n\nFirst line", "import");
 * readDocMarkdown(document); // "# Notes\n\nFirst line\n"
 * ```
 */
export function writeDocMarkdown(ydoc: Y.Doc, markdown: string, origin?: unknown): void {
  writeDocJson(ydoc, markdownToDocJson(markdown), origin);
}
