import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { readDocJson } from "../doc-canvas/doc-canvas.ts";
import { beginSuggestion } from "./begin-suggestion.ts";
import { acceptAllSuggestions, acceptSuggestion, rejectAllSuggestions, rejectSuggestion } from "./decide-suggestions.ts";
import { markStaleSuggestions, readSuggestion, readSuggestions } from "./read-suggestions.ts";
import { suggestionDecisionOrigin, suggestionsMapName } from "./suggestion-model.ts";
import { trackSuggestionDecisions } from "./observe-suggestions.ts";
import { resolveSuggestionRange, suggestionTextView } from "./target-view.ts";
import { agent, codeTarget, codeWith, deleteAt, docTarget, docWith, markdownOf, person, textOf, typeAt } from "./suggestions-test-helpers.ts";

function suggest(doc: Y.Doc, target: typeof docTarget, find: string, newText: string, status: "pending" | "stopped" = "pending") {
  const from = textOf(doc, target).indexOf(find);
  if (from < 0) throw new Error(`${find} not found`);
  const writer = beginSuggestion(doc, { target, from, to: from + find.length, runId: "run1", agent }, "agent");
  for (const token of newText.match(/.{1,3}/gs) ?? []) writer.append(token);
  writer.finish(status);
  return writer;
}

describe("code suggestions", () => {
  it("stream token by token, record what they replace, and change the content only when accepted", () => {
    const doc = codeWith("const a = 1;\nconst b = 2;\n");
    const writer = beginSuggestion(doc, { target: codeTarget, from: 6, to: 7, runId: "run1", agent }, "agent");
    expect(readSuggestion(doc, writer.id)).toMatchObject({ status: "streaming", oldText: "a", newText: "", from: 6, to: 7, target: codeTarget, agent, runId: "run1" });
    writer.append("al");
    writer.append("pha");
    expect(readSuggestion(doc, writer.id)).toMatchObject({ status: "streaming", newText: "alpha" });
    writer.finish("pending");
    expect(textOf(doc, codeTarget)).toBe("const a = 1;\nconst b = 2;\n");
    expect(acceptSuggestion(doc, writer.id, person, { origin: "browser" })).toBe("accepted");
    expect(textOf(doc, codeTarget)).toBe("const alpha = 1;\nconst b = 2;\n");
    expect(readSuggestion(doc, writer.id)).toMatchObject({ status: "accepted", decidedBy: person, from: 6, to: 11 });
    expect(acceptSuggestion(doc, writer.id, person)).toBe("not-pending");
    expect(acceptSuggestion(doc, "nope", person)).toBe("not-found");
  });

  it("each append is one small transaction; appends after a rejection are refused", () => {
    const doc = codeWith("x");
    const writer = beginSuggestion(doc, { target: codeTarget, from: 0, to: 1, runId: "run1", agent });
    let transactions = 0;
    doc.on("afterTransaction", () => transactions++);
    expect(writer.append("a")).toBe(true);
    expect(writer.append("b")).toBe(true);
    expect(transactions).toBe(2);
    expect(rejectSuggestion(doc, writer.id, person)).toBe("rejected");
    expect(writer.append("c")).toBe(false);
    expect(readSuggestion(doc, writer.id)).toMatchObject({ status: "rejected", newText: "ab" });
    expect(textOf(doc, codeTarget)).toBe("x");
  });

  it("keeps its anchors when people type right before and right after the range", () => {
    const doc = codeWith("let value = 1;");
    const writer = suggest(doc, codeTarget, "value", "total");
    typeAt(doc, codeTarget, 4, "my"); // right before
    typeAt(doc, codeTarget, 11, "s"); // right after "myvalue"
    expect(textOf(doc, codeTarget)).toBe("let myvalues = 1;");
    expect(readSuggestion(doc, writer.id)).toMatchObject({ status: "pending", from: 6, to: 11 });
    expect(acceptSuggestion(doc, writer.id, person)).toBe("accepted");
    expect(textOf(doc, codeTarget)).toBe("let mytotals = 1;");
  });

  it("an insertion point sticks to the character before it", () => {
    const doc = codeWith("ab");
    const writer = beginSuggestion(doc, { target: codeTarget, from: 1, to: 1, runId: "run1", agent });
    writer.append("X");
    writer.finish("pending");
    typeAt(doc, codeTarget, 1, "-"); // typed at the insertion point: after it
    typeAt(doc, codeTarget, 0, "<");
    expect(acceptSuggestion(doc, writer.id, person)).toBe("accepted");
    expect(textOf(doc, codeTarget)).toBe("<aX-b");
  });

  it("goes stale when the text inside its range changes, and is then never applied", () => {
    const doc = codeWith("let value = 1;");
    const writer = suggest(doc, codeTarget, "value", "total");
    typeAt(doc, codeTarget, 7, "Z");
    expect(readSuggestion(doc, writer.id)!.status).toBe("stale");
    expect(markStaleSuggestions(doc, "server")).toEqual([writer.id]);
    expect(markStaleSuggestions(doc, "server")).toEqual([]);
    expect(acceptSuggestion(doc, writer.id, person)).toBe("not-pending");
    expect(textOf(doc, codeTarget)).toBe("let valZue = 1;");
    expect(rejectSuggestion(doc, writer.id, person)).toBe("rejected");
  });

  it("accepting a stale suggestion marks it stale instead of writing", () => {
    const doc = codeWith("let value = 1;");
    const writer = suggest(doc, codeTarget, "value", "total");
    deleteAt(doc, codeTarget, 4, 9);
    expect(acceptSuggestion(doc, writer.id, person)).toBe("stale");
    expect(readSuggestion(doc, writer.id)!.status).toBe("stale");
    expect(textOf(doc, codeTarget)).toBe("let  = 1;");
  });

  it("accepts with the person's edited text and keeps it as finalText", () => {
    const doc = codeWith("a = 1");
    const writer = suggest(doc, codeTarget, "1", "2");
    expect(acceptSuggestion(doc, writer.id, person, { editedText: "3" })).toBe("accepted");
    expect(textOf(doc, codeTarget)).toBe("a = 3");
    expect(readSuggestion(doc, writer.id)).toMatchObject({ status: "accepted", newText: "2", finalText: "3" });
  });

  it("apply() is the direct path: status applied, provenance kept", () => {
    const doc = codeWith("one two");
    const writer = beginSuggestion(doc, { target: codeTarget, from: 4, to: 7, runId: "run9", agent }, "agent");
    writer.append("2");
    expect(writer.apply({ id: "u1", name: "Ada" })).toBe("applied");
    expect(textOf(doc, codeTarget)).toBe("one 2");
    expect(readSuggestion(doc, writer.id)).toMatchObject({ status: "applied", runId: "run9", agent, oldText: "two", newText: "2", from: 4, to: 5 });
  });

  it("follows its file through a rename", () => {
    const doc = codeWith("abc");
    const writer = suggest(doc, codeTarget, "b", "B");
    const files = doc.getMap("files");
    const [fileId] = Array.from(files.keys());
    (files.get(fileId!) as Y.Map<unknown>).set("path", "renamed.ts");
    expect(readSuggestions(doc, { target: { kind: "code", path: "renamed.ts" } })).toHaveLength(1);
    expect(acceptSuggestion(doc, writer.id, person)).toBe("accepted");
    expect(textOf(doc, { kind: "code", path: "renamed.ts" })).toBe("aBc");
  });

  it("remove() takes a suggestion away", () => {
    const doc = codeWith("abc");
    const writer = beginSuggestion(doc, { target: codeTarget, from: 0, to: 1, runId: "r", agent });
    writer.remove();
    expect(readSuggestions(doc)).toEqual([]);
    expect(writer.append("x")).toBe(false);
  });
});

describe("doc suggestions", () => {
  it("read the document as textblocks joined by line breaks", () => {
    const doc = docWith("# Title\n\nSome **bold** text\n\n- one\n- two\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n```js\nx = 1\ny = 2\n```");
    expect(textOf(doc, docTarget)).toBe("Title\nSome bold text\none\ntwo\na\nb\n1\n2\nx = 1\ny = 2");
  });

  it("replace text inside a paragraph, keeping the marks of the replaced text", () => {
    const doc = docWith("Some **bold words** here.");
    const writer = suggest(doc, docTarget, "bold", "strong");
    expect(acceptSuggestion(doc, writer.id, person)).toBe("accepted");
    expect(markdownOf(doc)).toBe("Some **strong words** here.\n");
    expect(readSuggestion(doc, writer.id)).toMatchObject({ status: "accepted", from: 5, to: 11 });
  });

  it("anchors survive typing before, after and in other paragraphs", () => {
    const doc = docWith("First paragraph.\n\nThe quick fox.");
    const writer = suggest(doc, docTarget, "quick", "slow");
    typeAt(doc, docTarget, 0, "Hey. ");
    const view = textOf(doc, docTarget);
    typeAt(doc, docTarget, view.indexOf("quick"), ">");
    typeAt(doc, docTarget, textOf(doc, docTarget).indexOf("quick") + 5, "<");
    expect(readSuggestion(doc, writer.id)!.status).toBe("pending");
    expect(acceptSuggestion(doc, writer.id, person)).toBe("accepted");
    expect(markdownOf(doc)).toBe("Hey. First paragraph.\n\nThe >slow< fox.\n");
  });

  it("insert at a point, at the very start and at the end of the document", () => {
    const doc = docWith("Hello world");
    const start = beginSuggestion(doc, { target: docTarget, from: 0, to: 0, runId: "r", agent });
    start.append("Well, ");
    start.finish("pending");
    const end = beginSuggestion(doc, { target: docTarget, from: 11, to: 11, runId: "r", agent });
    end.append("!");
    end.finish("pending");
    expect(acceptAllSuggestions(doc, person)).toEqual({ accepted: [start.id, end.id], stale: [] });
    expect(markdownOf(doc)).toBe("Well, Hello world!\n");
  });

  it("multi-line text is Markdown and becomes blocks", () => {
    const doc = docWith("Intro.\n\nOld paragraph.\n\nOutro.");
    const writer = suggest(doc, docTarget, "Old paragraph.", "## New heading\n\n- one\n- two\n\nA paragraph.");
    expect(acceptSuggestion(doc, writer.id, person)).toBe("accepted");
    expect(markdownOf(doc)).toBe("Intro.\n\n## New heading\n\n- one\n- two\n\nA paragraph.\n\nOutro.\n");
    expect(readSuggestion(doc, writer.id)).toMatchObject({ status: "accepted" });
    const accepted = readSuggestion(doc, writer.id)!;
    expect(textOf(doc, docTarget).slice(accepted.from!, accepted.to!)).toBe("New heading\none\ntwo\nA paragraph.");
  });

  it("multi-line text in the middle of a paragraph splits it and keeps the text around it", () => {
    const doc = docWith("Before **middle** after.");
    const writer = suggest(doc, docTarget, "middle", "first line\n\nsecond line");
    expect(acceptSuggestion(doc, writer.id, person)).toBe("accepted");
    expect(markdownOf(doc)).toBe("Before first line\n\nsecond line after.\n");
  });

  it("a range across paragraphs is replaced as one piece", () => {
    const doc = docWith("One two.\n\nThree four.\n\nFive.");
    const writer = suggest(doc, docTarget, "two.\nThree", "2, 3");
    expect(acceptSuggestion(doc, writer.id, person)).toBe("accepted");
    expect(markdownOf(doc)).toBe("One 2, 3 four.\n\nFive.\n");
  });

  it("text inside a code block stays literal, newlines included", () => {
    const doc = docWith("```\nlet a = 1;\n```");
    const writer = suggest(doc, docTarget, "let a = 1;", "let a = 1;\nlet b = 2;");
    expect(acceptSuggestion(doc, writer.id, person)).toBe("accepted");
    expect(markdownOf(doc)).toBe("```\nlet a = 1;\nlet b = 2;\n```\n");
  });

  it("goes stale when its paragraph is deleted or its text changed, and rejectAll clears everything undecided", () => {
    const doc = docWith("Keep this.\n\nDrop this.\n\nChange this.");
    const dropped = suggest(doc, docTarget, "Drop", "Lose");
    const changed = suggest(doc, docTarget, "Change", "Alter");
    const fragment = doc.getXmlFragment("content");
    fragment.delete(1, 1);
    typeAt(doc, docTarget, textOf(doc, docTarget).indexOf("Change") + 2, "X");
    expect(readSuggestions(doc).map((s) => [s.status, s.from])).toEqual([
      ["stale", null],
      ["stale", 11],
    ]);
    expect(acceptAllSuggestions(doc, person)).toEqual({ accepted: [], stale: [dropped.id, changed.id] });
    expect(rejectAllSuggestions(doc, person)).toEqual({ rejected: [dropped.id, changed.id] });
    expect(markdownOf(doc)).toBe("Keep this.\n\nChXange this.\n");
  });

  it("resolveSuggestionRange follows browser anchors through edits", () => {
    const doc = docWith("Alpha beta gamma");
    const view = suggestionTextView(doc, docTarget);
    const anchors = { from: view.anchor(6, "start"), to: view.anchor(10, "end") };
    typeAt(doc, docTarget, 0, "0 ");
    expect(resolveSuggestionRange(doc, docTarget, anchors.from, anchors.to)).toEqual({ from: 8, to: 12 });
    expect(resolveSuggestionRange(doc, { kind: "code", path: "none" }, anchors.from, anchors.to)).toBeNull();
  });

  it("the document stays valid for the editor after every kind of acceptance", () => {
    const doc = docWith("- item one\n- item two");
    const writer = suggest(doc, docTarget, "one", "1\n\nnew para");
    expect(acceptSuggestion(doc, writer.id, person)).toBe("accepted");
    expect(readDocJson(doc).content?.[0]?.type).toBe("bulletList");
    expect(markdownOf(doc)).toBe("- item 1\n\n  new para\n- item two\n");
  });
});

describe("undo", () => {
  for (const [kind, make, target] of [
    ["doc", () => docWith("Some **bold** text."), docTarget],
    ["code", () => codeWith("Some bold text."), codeTarget],
  ] as const) {
    it(`undoing an accept (${kind}) restores the text and the pending status in one step`, () => {
      const doc = make();
      const before = textOf(doc, target);
      const writer = suggest(doc, target, "bold", "plain\n\nmore");
      const scope = kind === "doc" ? doc.getXmlFragment("content") : doc.getMap("files");
      const undoManager = new Y.UndoManager(scope, { trackedOrigins: new Set(["typing"]) });
      trackSuggestionDecisions(undoManager, doc);
      typeAt(doc, target, 0, ">", "typing");
      undoManager.stopCapturing();
      expect(acceptSuggestion(doc, writer.id, person, { origin: suggestionDecisionOrigin })).toBe("accepted");
      expect(textOf(doc, target)).not.toBe(`>${before}`);
      undoManager.undo();
      expect(textOf(doc, target)).toBe(`>${before}`);
      expect(readSuggestion(doc, writer.id)).toMatchObject({ status: "pending" });
      // Another replica has no "redone" links: it must find the restored text too.
      const other = new Y.Doc();
      Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
      expect(readSuggestion(other, writer.id)).toMatchObject({ status: "pending" });
      expect(acceptSuggestion(other, writer.id, person)).toBe("accepted");
      expect(doc.getMap(suggestionsMapName).size).toBe(1);
      undoManager.redo();
      expect(readSuggestion(doc, writer.id)).toMatchObject({ status: "accepted" });
      undoManager.undo();
      expect(acceptSuggestion(doc, writer.id, person, { origin: suggestionDecisionOrigin })).toBe("accepted");
      undoManager.undo();
      undoManager.undo(); // the typing
      expect(textOf(doc, target)).toBe(before);
    });
  }
});
