import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { docJsonToMarkdown } from "./doc-to-markdown.ts";
import { markdownToDocJson } from "./markdown-to-doc.ts";
import type { JSONContent } from "@tiptap/core";

const fixture = readFileSync(new URL("./fixtures/every-construct.md", import.meta.url), "utf8");

/** Every node and mark type name used in a document. */
function typesIn(json: JSONContent, found = new Set<string>()): Set<string> {
  if (json.type) found.add(json.type);
  for (const mark of json.marks ?? []) found.add(`mark:${mark.type}`);
  for (const child of json.content ?? []) typesIn(child, found);
  return found;
}

describe("Markdown round trip", () => {
  const json = markdownToDocJson(fixture);

  it("reads every construct of the fixture into the TipTap schema", () => {
    const types = typesIn(json);
    for (const type of [
      "paragraph", "heading", "bulletList", "orderedList", "listItem", "blockquote", "codeBlock",
      "horizontalRule", "hardBreak", "image", "table", "tableRow", "tableHeader", "tableCell",
      "mark:bold", "mark:italic", "mark:strike", "mark:code", "mark:link", "mark:underline",
    ]) {
      expect(types, type).toContain(type);
    }
  });

  it("writes the fixture back exactly", () => {
    expect(docJsonToMarkdown(json)).toBe(fixture);
  });

  it("gives the same document after Markdown and back", () => {
    expect(markdownToDocJson(docJsonToMarkdown(json))).toEqual(json);
  });

  it("keeps attributes: heading level, list start, code language, image, link, cell alignment", () => {
    const blocks = json.content ?? [];
    expect(blocks[0]).toMatchObject({ type: "heading", attrs: { level: 1 } });
    expect(blocks.find((block) => block.type === "orderedList")?.attrs?.start).toBe(3);
    expect(blocks.find((block) => block.type === "codeBlock")?.attrs?.language).toBe("ts");
    expect(blocks.find((block) => block.type === "image")?.attrs).toMatchObject({
      src: "https://example.com/diagram.png",
      alt: "Architecture diagram",
      title: "The diagram",
    });
    const table = blocks.find((block) => block.type === "table")!;
    const header = table.content![0]!.content!;
    expect(header.map((cell) => cell.attrs?.align)).toEqual(["left", "center", "right"]);
    expect(header[0]!.content![0]).toMatchObject({ type: "paragraph", content: [{ text: "Name" }] });
    const paragraph = blocks.find((block) => block.type === "paragraph")!;
    const link = paragraph.content!.find((node) => node.marks?.some((mark) => mark.type === "link"));
    expect(link?.marks?.[0]?.attrs).toMatchObject({ href: "https://example.com/docs", title: "Docs" });
  });

  it("keeps code block content verbatim, including backtick fences and trailing newlines", () => {
    const code = "```js\nconsole.log(1)\n```\n\n";
    const doc = { type: "doc", content: [{ type: "codeBlock", attrs: { language: "md" }, content: [{ type: "text", text: code }] }] };
    const markdown = docJsonToMarkdown(doc);
    expect(markdownToDocJson(markdown).content?.[0]?.content?.[0]?.text).toBe(code);
  });

  it("keeps text that looks like Markdown or HTML as text", () => {
    const text = "1. not a list *not italic* <u>not underline</u> &amp; | pipe # not heading";
    const doc = { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] };
    expect(markdownToDocJson(docJsonToMarkdown(doc))).toEqual(doc);
  });

  it("keeps hard breaks and pipes inside table cells", () => {
    const markdown = "| a | b |\n| --- | --- |\n| one<br>two | x \\| y |\n";
    const json = markdownToDocJson(markdown);
    const cells = json.content![0]!.content![1]!.content!;
    expect(cells[0]!.content![0]!.content!.map((node) => node.type)).toEqual(["text", "hardBreak", "text"]);
    expect(cells[1]!.content![0]!.content![0]!.text).toBe("x | y");
    expect(docJsonToMarkdown(json)).toBe(markdown);
  });

  it("keeps two adjacent lists apart", () => {
    const list = (text: string) => ({ type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text }] }] }] });
    const doc = { type: "doc", content: [list("a"), list("b")] };
    expect(markdownToDocJson(docJsonToMarkdown(doc))).toEqual(markdownToDocJson(docJsonToMarkdown(doc)));
    expect(markdownToDocJson(docJsonToMarkdown(doc)).content).toHaveLength(2);
  });
});

describe("Markdown import of odd input", () => {
  const oddInputs: Record<string, string> = {
    "empty string": "",
    "only whitespace": "   \n\n\t\n",
    "raw HTML block": "<div class=\"x\">\n<script>alert(1)</script>\n</div>\n\ntext",
    "inline HTML": "a <span style=\"color:red\">red</span> word<br/>next",
    "deeply nested lists": Array.from({ length: 40 }, (_, depth) => `${"  ".repeat(depth)}- level ${depth}`).join("\n"),
    "deep quotes": `${">".repeat(200)} deep`,
    "image in a heading": "# Title ![logo](logo.png)",
    "image in a list item": "- ![logo](logo.png)",
    "image inside a link": "[![badge](badge.svg)](https://ci.example.com)",
    "table with ragged rows": "| a | b |\n| - | - |\n| 1 |\n| 1 | 2 | 3 |",
    "javascript link": "[click](javascript:alert(1)) ![x](data:image/png;base64,AAAA)",
    "unclosed constructs": "**bold *italic `code [link](",
    "control characters": "\u0000\u0001 text \uFFFF \uD800",
    "a million dashes": "-".repeat(100_000),
  };

  for (const [name, markdown] of Object.entries(oddInputs)) {
    it(`does not throw on ${name}, and the result survives another round trip`, () => {
      const json = markdownToDocJson(markdown);
      expect(json.type).toBe("doc");
      expect(json.content?.length).toBeGreaterThan(0);
      const again = docJsonToMarkdown(json);
      expect(markdownToDocJson(again)).toEqual(json);
    });
  }

  it("does not turn unsafe URLs into links or images", () => {
    const json = JSON.stringify(markdownToDocJson("[click](javascript:alert(1)) ![x](data:image/png;base64,AAAA)"));
    expect(json).not.toContain("\"link\"");
    expect(json).not.toContain("\"image\"");
  });

  it("shows raw HTML as text rather than dropping it", () => {
    const markdown = docJsonToMarkdown(markdownToDocJson("<details>\n<summary>More</summary>\n</details>"));
    expect(markdown).toContain("<summary>More</summary>");
  });

  it("does not throw on non-string input", () => {
    expect(markdownToDocJson(undefined as unknown as string).type).toBe("doc");
  });
});

describe("Markdown normalisation", () => {
  it("turns soft line breaks into spaces, as a reader sees them", () => {
    expect(docJsonToMarkdown(markdownToDocJson("one\ntwo"))).toBe("one two\n");
  });
});
