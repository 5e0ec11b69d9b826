// Shared by the suggestion tests (not exported from the package).
import * as Y from "yjs";
import { addCodeFile } from "../code-canvas/code-files.ts";
import { readDocMarkdown, writeDocMarkdown } from "../doc-canvas/doc-canvas.ts";
import { DocTextView } from "./doc-text-view.ts";
import { codeFileText } from "./code-text-view.ts";
import type { SuggestionTarget } from "./suggestion-model.ts";
import { suggestionTextView } from "./target-view.ts";

export const agent = { name: "Assistant", color: "#6741d9" };
export const person = { id: "u1", name: "Ada" };
export const docTarget: SuggestionTarget = { kind: "doc" };
export const codeTarget: SuggestionTarget = { kind: "code", path: "main.ts" };

export function docWith(markdown: string, clientID?: number): Y.Doc {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  writeDocMarkdown(doc, markdown);
  return doc;
}

export function codeWith(content: string): Y.Doc {
  const doc = new Y.Doc();
  addCodeFile(doc, { path: "main.ts", content });
  return doc;
}

export function textOf(doc: Y.Doc, target: SuggestionTarget): string {
  return suggestionTextView(doc, target).text;
}

export const markdownOf = readDocMarkdown;

/** Types `text` at an offset of the target's text view, as a person would. */
export function typeAt(doc: Y.Doc, target: SuggestionTarget, offset: number, text: string, origin?: unknown): void {
  doc.transact(() => {
    if (target.kind === "code") {
      codeFileText(doc, target.path)!.insert(offset, text);
      return;
    }
    const view = new DocTextView(doc.getXmlFragment("content"));
    const block = view.blockAt(offset)!;
    const local = offset - block.start;
    const run = block.children.find((child) => child.node instanceof Y.XmlText && child.start <= local && local <= child.start + child.length);
    if (run) (run.node as Y.XmlText).insert(local - run.start, text);
    else {
      const fresh = new Y.XmlText();
      block.element.insert(block.children.find((child) => child.start >= local)?.index ?? block.children.length, [fresh]);
      fresh.insert(0, text);
    }
  }, origin);
}

/** Deletes `[from, to)` of the target's text view (within one block for docs). */
export function deleteAt(doc: Y.Doc, target: SuggestionTarget, from: number, to: number): void {
  if (target.kind === "code") {
    codeFileText(doc, target.path)!.delete(from, to - from);
    return;
  }
  const view = new DocTextView(doc.getXmlFragment("content"));
  doc.transact(() => view.replace(from, to, ""));
}

export function sync(...docs: Y.Doc[]): void {
  for (const from of docs) for (const to of docs) if (from !== to) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}
