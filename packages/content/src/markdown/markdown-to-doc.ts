import type { JSONContent } from "@tiptap/core";
import type MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import { MarkdownParser, type ParseSpec } from "prosemirror-markdown";
import { richTextSchema } from "../rich-text/rich-text-extensions.ts";
import { imageAlt, richTextTokenizer } from "./markdown-tokenizer.ts";

const tableCellAlignments = new Set(["left", "center", "right"]);

/** The alignment markdown-it gives a GFM table cell (`style="text-align:center"`), if any. */
function cellAttributes(token: Token) {
  const align = /text-align:\s*(\w+)/.exec(token.attrGet("style") ?? "")?.[1];
  return align && tableCellAlignments.has(align) ? { align } : null;
}

/** The first word of a fence's info string, which names the language of a code block. */
function fenceLanguage(token: Token) {
  const language = token.info.trim().split(/\s+/)[0] ?? "";
  return { language: language === "" ? null : language };
}

/** The number an ordered list starts at (markdown-it omits the attribute for 1). */
function listStart(token: Token) {
  const start = Number(token.attrGet("start") ?? 1);
  return { start: Number.isSafeInteger(start) ? start : 1 };
}

/** How each markdown-it token becomes a node or mark of the TipTap schema. */
const tokenSpecs: Record<string, ParseSpec> = {
  paragraph: { block: "paragraph" },
  heading: { block: "heading", getAttrs: (token) => ({ level: Number(token.tag.slice(1)) || 1 }) },
  blockquote: { block: "blockquote" },
  bullet_list: { block: "bulletList" },
  ordered_list: { block: "orderedList", getAttrs: listStart },
  list_item: { block: "listItem" },
  code_block: { block: "codeBlock", noCloseToken: true },
  fence: { block: "codeBlock", getAttrs: fenceLanguage, noCloseToken: true },
  hr: { node: "horizontalRule" },
  hardbreak: { node: "hardBreak" },
  image: {
    node: "image",
    getAttrs: (token) => ({
      src: token.attrGet("src"),
      alt: imageAlt(token) || null,
      title: token.attrGet("title") || null,
    }),
  },
  table: { block: "table" },
  thead: { ignore: true },
  tbody: { ignore: true },
  tr: { block: "tableRow" },
  th: { block: "tableHeader", getAttrs: cellAttributes },
  td: { block: "tableCell", getAttrs: cellAttributes },
  strong: { mark: "bold" },
  em: { mark: "italic" },
  s: { mark: "strike" },
  u: { mark: "underline" },
  code_inline: { mark: "code", noCloseToken: true },
  link: {
    mark: "link",
    getAttrs: (token) => ({ href: token.attrGet("href"), title: token.attrGet("title") || null }),
  },
};

const markdownParser = new MarkdownParser(richTextSchema, richTextTokenizer as unknown as MarkdownIt, tokenSpecs);

/**
 * Parses Markdown (CommonMark with GFM tables and strikethrough) into TipTap JSON for a
 * doc canvas.
 *
 * Never throws: input the parser cannot map is kept as plain paragraphs, one per line.
 * Raw HTML is not interpreted; it stays visible as text (an HTML block becomes a code
 * block of language `html`), except `<br>` (a hard break) and `<u>` (underline).
 *
 * @example
 * ```ts
 * markdownToDocJson("# Plan\n\n- ship it");
 * // { type: "doc", content: [{ type: "heading", attrs: { level: 1 }, ... }, { type: "bulletList", ... }] }
 * ```
 */
export function markdownToDocJson(markdown: string): JSONContent {
  const text = typeof markdown === "string" ? markdown : String(markdown ?? "");
  try {
    return markdownParser.parse(text).toJSON() as JSONContent;
  } catch {
    return plainTextDocJson(text);
  }
}

/** A document of one plain paragraph per non-empty line. */
function plainTextDocJson(text: string): JSONContent {
  const paragraphs = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => ({ type: "paragraph", content: [{ type: "text", text: line }] }));
  return { type: "doc", content: paragraphs.length > 0 ? paragraphs : [{ type: "paragraph" }] };
}
