import { getSchema, type Extensions } from "@tiptap/core";
import { Image } from "@tiptap/extension-image";
import { TableKit } from "@tiptap/extension-table";
import { StarterKit } from "@tiptap/starter-kit";
import { isSafeUrl } from "./safe-url.ts";

/**
 * The TipTap extensions that define a doc canvas: StarterKit (with links, without its own
 * undo history, which Collaboration replaces), tables and block images.
 *
 * The server and the browser both build their schema from this list, so a document
 * written on one side always parses on the other. The web editor adds Collaboration and
 * CollaborationCaret on top; neither changes the schema.
 *
 * @example
 * ```ts
 * new Editor({ extensions: [...richTextExtensions, Collaboration.configure({ document })] });
 * ```
 */
export const richTextExtensions: Extensions = [
  StarterKit.configure({
    undoRedo: false,
    // Only http, https, mailto and relative links are parsed or rendered (decision 0016).
    link: { openOnClick: false, isAllowedUri: (url) => isSafeUrl(url) },
  }),
  TableKit.configure({
    table: { resizable: false },
  }),
  Image.extend({
    // Pasted or dropped HTML brings no image with another address than http(s) or a relative one.
    parseHTML() {
      return [{ tag: "img[src]", getAttrs: (element) => (isSafeUrl(element.getAttribute("src") ?? "") ? null : false) }];
    },
  }).configure({
    inline: false,
    allowBase64: false,
  }),
];

/** The ProseMirror schema of a doc canvas, built from {@link richTextExtensions}. */
export const richTextSchema = getSchema(richTextExtensions);
