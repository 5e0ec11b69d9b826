import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { markdownToDocJson } from "../markdown/markdown-to-doc.ts";
import { docFragmentName, readDocJson, readDocMarkdown, writeDocMarkdown } from "./doc-canvas.ts";

describe("doc canvas", () => {
  it("reads back the Markdown it wrote", () => {
    const ydoc = new Y.Doc();
    writeDocMarkdown(ydoc, "# Title\n\n- one\n- two\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n");
    expect(readDocMarkdown(ydoc)).toBe("# Title\n\n- one\n- two\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n");
    expect(readDocJson(ydoc)).toEqual(markdownToDocJson(readDocMarkdown(ydoc)));
  });

  it("stores the document in the XmlFragment TipTap Collaboration uses", () => {
    const ydoc = new Y.Doc();
    writeDocMarkdown(ydoc, "Hello");
    expect(ydoc.getXmlFragment(docFragmentName).toString()).toBe("<paragraph>Hello</paragraph>");
  });

  it("replaces the whole content in one transaction carrying the origin", () => {
    const ydoc = new Y.Doc();
    writeDocMarkdown(ydoc, "old text\n\nmore old text");
    const origins: unknown[] = [];
    ydoc.on("afterTransaction", (transaction) => origins.push(transaction.origin));
    writeDocMarkdown(ydoc, "## New", "import");
    expect(origins).toEqual(["import"]);
    expect(readDocMarkdown(ydoc)).toBe("## New\n");
  });

  it("reads an empty canvas as empty Markdown", () => {
    expect(readDocMarkdown(new Y.Doc())).toBe("");
  });

  it("reads content the schema refuses without failing or changing the document", () => {
    const ydoc = new Y.Doc();
    const fragment = ydoc.getXmlFragment(docFragmentName);
    const unknown = new Y.XmlElement("mysteryWidget");
    unknown.insert(0, [new Y.XmlText("inside")]);
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText("kept")]);
    fragment.insert(0, [unknown, paragraph]);
    const before = Y.encodeStateVector(ydoc);
    expect(readDocMarkdown(ydoc)).toBe("inside\n\nkept\n");
    expect(Y.encodeStateVector(ydoc)).toEqual(before);
  });
});
