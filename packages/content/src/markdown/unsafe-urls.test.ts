import type { JSONContent } from "@tiptap/core";
import type { Mark } from "@tiptap/pm/model";
import { describe, expect, it } from "vitest";
import { richTextSchema } from "../rich-text/rich-text-extensions.ts";
import { isSafeUrl } from "../rich-text/safe-url.ts";
import { docJsonToMarkdown } from "./doc-to-markdown.ts";
import { markdownToDocJson } from "./markdown-to-doc.ts";

/** URLs a link or image may carry (decision 0016), and some that it may not. */
const safe = ["https://example.com/a?b=c#d", "http://example.com", "mailto:someone@example.com", "/api/uploads/abc-123", "#section", "docs/page.md", "../up.png", "//cdn.example.com/x.png", ""];
const unsafe = [
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  " javascript:alert(1)",
  "java\tscript:alert(1)",
  "java\nscript:alert(1)",
  "\u0001javascript:alert(1)",
  "vbscript:msgbox(1)",
  "data:text/html,<script>alert(1)</script>",
  "data:image/svg+xml;base64,PHN2Zz4=",
  "file:///etc/passwd",
  "blob:https://example.com/1",
  "ftp://example.com/x",
];

const paragraphWithLink = (href: string): JSONContent => ({
  type: "paragraph",
  content: [{ type: "text", text: "click me", marks: [{ type: "link", attrs: { href } }] }],
});
const image = (src: string): JSONContent => ({ type: "image", attrs: { src, alt: "a picture" } });

describe("unsafe URLs", () => {
  it("isSafeUrl allows http, https, mailto and relative URLs only", () => {
    for (const url of safe) expect(isSafeUrl(url), url).toBe(true);
    for (const url of unsafe) expect(isSafeUrl(url), JSON.stringify(url)).toBe(false);
  });

  it("exported Markdown carries no link or image with an unsafe URL, and keeps their text", () => {
    for (const url of unsafe) {
      const markdown = docJsonToMarkdown({ type: "doc", content: [paragraphWithLink(url), image(url)] });
      expect(markdown, JSON.stringify(url)).toBe("click me\n\na picture\n");
    }
    for (const url of ["https://example.com/a", "/api/uploads/abc-123", "mailto:someone@example.com"]) {
      const markdown = docJsonToMarkdown({ type: "doc", content: [paragraphWithLink(url), image(url)] });
      expect(markdown).toBe(`[click me](${url})\n\n![a picture](${url})\n`);
    }
  });

  it("Markdown import makes no link or image of an unsafe URL, however it is spelled", () => {
    for (const markdown of ["[a](jav&#x09;ascript:alert(1))", "[a](&#106;avascript:alert(1))", "[a](blob:https://x/1)", "![a](ftp://x/y.png)", "<javascript:alert(1)>", "[a](vbscript:x)"]) {
      const json = JSON.stringify(markdownToDocJson(markdown));
      expect(json, markdown).not.toContain('"link"');
      expect(json, markdown).not.toContain('"image"');
    }
    const kept = JSON.stringify(markdownToDocJson("[a](https://example.com) ![b](/api/uploads/abc-123)"));
    expect(kept).toContain('"href":"https://example.com"');
    expect(kept).toContain('"src":"/api/uploads/abc-123"');
  });

  it("the editor schema neither parses nor renders links and images with unsafe URLs", () => {
    const element = (attributes: Record<string, string>) => ({ getAttribute: (name: string) => attributes[name] ?? null }) as unknown as HTMLElement;
    const linkRule = richTextSchema.marks.link!.spec.parseDOM!.find((rule) => "tag" in rule && rule.tag?.startsWith("a"))!;
    const imageRule = richTextSchema.nodes.image!.spec.parseDOM!.find((rule) => "tag" in rule && rule.tag?.startsWith("img"))!;
    const accepts = (rule: typeof linkRule, attributes: Record<string, string>) => (rule.getAttrs ? rule.getAttrs(element(attributes) as never) !== false : true);
    for (const url of unsafe) {
      expect(accepts(linkRule, { href: url }), JSON.stringify(url)).toBe(false);
      expect(accepts(imageRule, { src: url }), JSON.stringify(url)).toBe(false);
      const rendered = richTextSchema.marks.link!.spec.toDOM!(richTextSchema.marks.link!.create({ href: url }) as Mark, true) as [string, Record<string, string>];
      expect(rendered[1].href, JSON.stringify(url)).toBe("");
    }
    expect(accepts(linkRule, { href: "https://example.com" })).toBe(true);
    expect(accepts(imageRule, { src: "/api/uploads/abc-123" })).toBe(true);
  });
});
