import MarkdownIt from "markdown-it";
import Token from "markdown-it/lib/token.mjs";
import { isSafeUrl } from "../rich-text/safe-url.ts";


/** `<br>`, `<br/>` and `<br />` in any case. */
const lineBreakTag = /^<br\s*\/?>$/i;

/**
 * The Markdown dialect of doc canvases: CommonMark plus GFM tables and strikethrough.
 * Raw HTML is recognised only so that it can be shown as text (see {@link normalizeTokens}).
 */
const markdownIt = new MarkdownIt("default", { html: true, linkify: false, typographer: false });
// Links and images with another scheme than http, https or mailto are read as plain text.
markdownIt.validateLink = isSafeUrl;

/**
 * Parses Markdown into markdown-it tokens reshaped to fit the TipTap schema.
 *
 * prosemirror-markdown only needs an object with this `parse` method as its tokenizer.
 */
export const richTextTokenizer = {
  parse(markdown: string, environment: object): Token[] {
    return normalizeTokens(markdownIt.parse(markdown, environment));
  },
};

/**
 * Reshapes the token stream where markdown-it and the TipTap schema disagree:
 * - table cells hold blocks in TipTap, so their inline content is wrapped in a paragraph;
 * - images are blocks in TipTap, so they are lifted out of paragraphs (elsewhere, as in
 *   headings, they become their alt text);
 * - raw HTML: `<br>` becomes a hard break, `<u>…</u>` underline, an HTML block a code
 *   block of language `html`, and any other inline tag plain text.
 */
export function normalizeTokens(tokens: Token[]): Token[] {
  const output: Token[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.type === "html_block") {
      output.push(htmlBlockAsCode(token));
    } else if (token.type === "inline" && isCellOpen(tokens[index - 1])) {
      output.push(...splitParagraph(token, tokens[index - 1]!.level + 1));
    } else if (token.type === "paragraph_open" && tokens[index + 1]?.type === "inline" && tokens[index + 2]?.type === "paragraph_close") {
      output.push(...splitParagraph(tokens[index + 1]!, token.level, token.hidden));
      index += 2;
    } else if (token.type === "inline") {
      output.push(withInlineChildren(token, imagesAsText(token.children ?? [])));
    } else {
      output.push(token);
    }
  }
  return output;
}

function isCellOpen(token: Token | undefined): boolean {
  return token?.type === "th_open" || token?.type === "td_open";
}

/**
 * Turns one paragraph's inline token into paragraphs and block images, in order.
 * Runs of only whitespace between images are dropped; an empty paragraph stays.
 */
function splitParagraph(inline: Token, level: number, hidden = false): Token[] {
  const children = convertInlineHtml(inline.children ?? []);
  const output: Token[] = [];
  let run: Token[] = [];
  let emitted = false;
  const flushRun = (force: boolean) => {
    if (!force && run.every(isBlank)) {
      run = [];
      return;
    }
    const open = new Token("paragraph_open", "p", 1);
    open.level = level;
    open.hidden = hidden;
    const close = new Token("paragraph_close", "p", -1);
    close.level = level;
    close.hidden = hidden;
    output.push(open, withInlineChildren(inline, run), close);
    run = [];
    emitted = true;
  };
  for (const child of children) {
    if (child.type === "image") {
      flushRun(false);
      output.push(child);
      emitted = true;
    } else {
      run.push(child);
    }
  }
  flushRun(!emitted);
  return output;
}

/** Whether a token adds no visible content: a soft break, blank text, or a mark boundary. */
function isBlank(token: Token): boolean {
  if (token.type === "text") return token.content.trim() === "";
  return token.type === "softbreak" || token.type.endsWith("_open") || token.type.endsWith("_close");
}

function withInlineChildren(inline: Token, children: Token[]): Token {
  const copy = new Token("inline", "", 0);
  copy.level = inline.level;
  copy.content = inline.content;
  copy.map = inline.map;
  copy.children = convertInlineHtml(children);
  return copy;
}

/** Replaces images by their alt text, for inline containers that cannot hold a block. */
function imagesAsText(children: Token[]): Token[] {
  return children.map((child) => (child.type === "image" ? textToken(imageAlt(child)) : child));
}

/** The plain text of an image token's alt (markdown-it parses the alt as inline content). */
export function imageAlt(image: Token): string {
  const parts = image.children?.map((child) => child.content) ?? [];
  return parts.length > 0 ? parts.join("") : image.content;
}

function convertInlineHtml(children: Token[]): Token[] {
  return children.map((child) => {
    if (child.type !== "html_inline") return child;
    const tag = child.content.trim();
    if (lineBreakTag.test(tag)) return new Token("hardbreak", "br", 0);
    if (/^<u>$/i.test(tag)) return new Token("u_open", "u", 1);
    if (/^<\/u>$/i.test(tag)) return new Token("u_close", "u", -1);
    return textToken(child.content);
  });
}

function htmlBlockAsCode(token: Token): Token {
  const fence = new Token("fence", "code", 0);
  fence.info = "html";
  fence.content = token.content;
  fence.level = token.level;
  fence.map = token.map;
  return fence;
}

function textToken(content: string): Token {
  const token = new Token("text", "", 0);
  token.content = content;
  return token;
}
