import type { JSONContent } from "@tiptap/core";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { MarkdownSerializer, defaultMarkdownSerializer, type MarkdownSerializerState } from "prosemirror-markdown";
import { richTextSchema } from "../rich-text/rich-text-extensions.ts";
import { nodeFromJsonLeniently } from "../rich-text/node-from-json.ts";
import { isSafeUrl } from "../rich-text/safe-url.ts";

type NodeSerializer = (state: MarkdownSerializerState, node: ProseMirrorNode, parent: ProseMirrorNode, index: number) => void;

/**
 * Characters escaped in text beyond prosemirror-markdown's own set: `<` where it would
 * open an HTML tag or autolink, and `&` where it would start an entity. Without this,
 * typed text such as `<u>` or `&amp;` would change meaning when read back.
 */
const escapeExtraCharacters = /<(?=[A-Za-z/!?])|&(?=#?[A-Za-z0-9]+;)/g;

/** A link or image destination: in angle brackets when it holds spaces, parentheses escaped otherwise. */
function destination(url: string): string {
  if (/[\s<>]/.test(url)) return `<${url.replace(/[<>]/g, (character) => encodeURIComponent(character))}>`;
  return url.replace(/[()]/g, "\\$&");
}

function titleSuffix(title: unknown): string {
  return typeof title === "string" && title !== "" ? ` "${title.replace(/["\\]/g, "\\$&")}"` : "";
}

/** Markdown for an image node, without the block break; an image with an unsafe address is written as its alt text. */
function imageMarkdown(state: MarkdownSerializerState, node: ProseMirrorNode): string {
  const alt = state.esc(String(node.attrs.alt ?? ""));
  const src = String(node.attrs.src ?? "");
  if (!isSafeUrl(src)) return alt;
  return `![${alt}](${destination(src)}${titleSuffix(node.attrs.title)})`;
}

/**
 * The list marker of a list: `-` (or `1.`), switching to `*` (or `1)`) when the list
 * directly follows another of the same kind, since Markdown would otherwise merge them.
 */
function listMarker(parent: ProseMirrorNode, index: number, node: ProseMirrorNode, markers: [string, string]): string {
  let run = 0;
  for (let position = index - 1; position >= 0 && parent.child(position).type === node.type; position--) run++;
  return markers[run % 2]!;
}

function codeFence(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return "`".repeat(longest + 1);
}

const blockNodes: Record<string, NodeSerializer> = {
  paragraph(state, node) {
    state.renderInline(node);
    state.closeBlock(node);
  },
  heading(state, node) {
    const level = Math.min(6, Math.max(1, Number(node.attrs.level) || 1));
    state.write(`${"#".repeat(level)} `);
    state.renderInline(node, false);
    state.closeBlock(node);
  },
  blockquote(state, node) {
    state.wrapBlock("> ", null, node, () => state.renderContent(node));
  },
  bulletList(state, node, parent, index) {
    const marker = listMarker(parent, index, node, ["-", "*"]);
    state.renderList(node, "  ", () => `${marker} `);
  },
  orderedList(state, node, parent, index) {
    const delimiter = listMarker(parent, index, node, [".", ")"]);
    const start = Number.isSafeInteger(node.attrs.start) ? Number(node.attrs.start) : 1;
    const width = String(start + node.childCount - 1).length;
    state.renderList(node, " ".repeat(width + 2), (position) => {
      const number = String(start + position);
      return `${" ".repeat(width - number.length)}${number}${delimiter} `;
    });
  },
  listItem(state, node) {
    // An item must open with a paragraph; when that paragraph is empty (an item that
    // starts with an image or a list), writing it would end the item early.
    const first = node.firstChild;
    if (node.childCount > 1 && first?.type.name === "paragraph" && first.childCount === 0) {
      node.forEach((child, _offset, index) => {
        if (index > 0) state.render(child, node, index);
      });
    } else {
      state.renderContent(node);
    }
  },
  codeBlock(state, node) {
    const fence = codeFence(node.textContent);
    const language = String(node.attrs.language ?? "").split(/\s+/)[0]!.replace(/`/g, "");
    state.write(`${fence}${language}\n`);
    state.text(node.textContent, false);
    // Always one newline more than the content's: the parser drops exactly one.
    state.write("\n");
    state.write(fence);
    state.closeBlock(node);
  },
  horizontalRule(state, node) {
    state.write("---");
    state.closeBlock(node);
  },
  image(state, node) {
    const markdown = imageMarkdown(state, node);
    if (!markdown) return;
    state.write(markdown);
    state.closeBlock(node);
  },
  table(state, node) {
    writeTable(state, node);
  },
  hardBreak: defaultMarkdownSerializer.nodes.hard_break!,
  text: defaultMarkdownSerializer.nodes.text!,
};

const marks: MarkdownSerializer["marks"] = {
  bold: { open: "**", close: "**", mixable: true, expelEnclosingWhitespace: true },
  italic: { open: "*", close: "*", mixable: true, expelEnclosingWhitespace: true },
  strike: { open: "~~", close: "~~", mixable: true, expelEnclosingWhitespace: true },
  underline: { open: "<u>", close: "</u>", mixable: true, expelEnclosingWhitespace: true },
  code: defaultMarkdownSerializer.marks.code!,
  // A link with an unsafe address (javascript:, data:, …) is written as its text alone.
  link: {
    open(state, mark, parent, index) {
      if (!isSafeUrl(String(mark.attrs.href ?? ""))) return "";
      const open = defaultMarkdownSerializer.marks.link!.open;
      return typeof open === "string" ? open : open(state, mark, parent, index);
    },
    close(state, mark, parent, index) {
      if (!isSafeUrl(String(mark.attrs.href ?? ""))) return "";
      const autolink = (state as { inAutolink?: boolean }).inAutolink;
      (state as { inAutolink?: boolean }).inAutolink = undefined;
      return autolink ? ">" : `](${destination(String(mark.attrs.href ?? ""))}${titleSuffix(mark.attrs.title)})`;
    },
    mixable: true,
  },
};

const serializerOptions = { escapeExtraCharacters, hardBreakNodeName: "hardBreak", strict: false };

const documentSerializer = new MarkdownSerializer(blockNodes, marks, serializerOptions);

/**
 * Serializes the content of one table cell on a single line: hard breaks become `<br>`,
 * and separate blocks are joined by `<br><br>` (GFM cells cannot hold blocks).
 */
const cellSerializer = new MarkdownSerializer(
  {
    ...blockNodes,
    hardBreak: (state) => state.write("<br>"),
  },
  marks,
  serializerOptions,
);

function cellMarkdown(cell: ProseMirrorNode): string {
  return cellSerializer
    .serialize(cell, { tightLists: true })
    .trim()
    .replace(/\n{2,}/g, "<br><br>")
    .replace(/\n/g, " ")
    .replace(/\|/g, "\\|");
}

const alignmentDelimiters: Record<string, string> = { left: ":---", center: ":---:", right: "---:" };

/**
 * Writes a GFM table. The first row is the header row; a row with fewer cells is padded
 * and column alignment comes from the first cell in each column that has one.
 */
function writeTable(state: MarkdownSerializerState, table: ProseMirrorNode) {
  const rows: { text: string; align: unknown }[][] = [];
  table.forEach((row) => {
    const cells: { text: string; align: unknown }[] = [];
    row.forEach((cell) => cells.push({ text: cellMarkdown(cell), align: cell.attrs.align }));
    rows.push(cells);
  });
  const columnCount = Math.max(1, ...rows.map((cells) => cells.length));
  const delimiterRow = Array.from({ length: columnCount }, (_, column) => {
    const align = rows.map((cells) => cells[column]?.align).find((value) => typeof value === "string");
    return alignmentDelimiters[String(align)] ?? "---";
  });
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const padded = (cells: { text: string }[]) => Array.from({ length: columnCount }, (_, column) => cells[column]?.text ?? "");
  const [header = [], ...body] = rows;
  for (const text of [line(padded(header)), line(delimiterRow), ...body.map((cells) => line(padded(cells)))]) {
    state.write(text);
    state.ensureNewLine();
  }
  state.closeBlock(table);
}

/**
 * Serializes TipTap JSON of a doc canvas to Markdown (CommonMark with GFM tables and
 * strikethrough); the output ends with one newline, or is empty for an empty document.
 *
 * Content Markdown cannot express is simplified rather than dropped: several blocks in a
 * table cell are joined with `<br>`, underline is written as `<u>…</u>`.
 * Nodes or marks unknown to the schema are skipped, keeping their text.
 *
 * @example
 * ```ts
 * docJsonToMarkdown({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Hi" }] }] });
 * // "Hi\n"
 * ```
 */
export function docJsonToMarkdown(json: JSONContent): string {
  return proseMirrorToMarkdown(nodeFromJsonLeniently(richTextSchema, json));
}

/** Serializes a ProseMirror document of the rich-text schema to Markdown. */
export function proseMirrorToMarkdown(doc: ProseMirrorNode): string {
  const markdown = documentSerializer.serialize(doc, { tightLists: true }).replace(/\s+$/, "");
  return markdown === "" ? "" : `${markdown}\n`;
}
