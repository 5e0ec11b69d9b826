import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { findCodeFileByPath, removeCodeFile, renameCodeFile } from "../code-canvas/code-files.ts";
import { readDocNode, writeDocMarkdown } from "../doc-canvas/doc-canvas.ts";
import { suggestionTextView } from "../suggestions/target-view.ts";
import { codeTarget, codeWith, deleteAt, docTarget, docWith, sync, textOf, typeAt } from "../suggestions/suggestions-test-helpers.ts";
import { commentsMapName, type CommentAuthor, type CommentTarget } from "./comment-model.ts";
import {
  addCommentThread,
  addCommentThreadAt,
  commentMessageAuthor,
  deleteCommentMessage,
  editCommentMessage,
  linkSuggestionToThread,
  reopenThread,
  replyToThread,
  resolveThread,
} from "./comment-threads.ts";
import { commentThreadsInProseMirror, observeComments, readCommentThread, readCommentThreads } from "./read-comments.ts";

const ada: CommentAuthor = { kind: "person", id: "u1", name: "Ada", color: "#1971c2" };
const grace: CommentAuthor = { kind: "person", id: "u2", name: "Grace", color: "#2f9e44" };
const reviewer: CommentAuthor = { kind: "agent", id: "a1", name: "Reviewer", color: "#6741d9" };

function commentOn(doc: Y.Doc, target: CommentTarget, find: string, text = "Why this?", author = ada) {
  const from = textOf(doc, target).indexOf(find);
  if (from < 0) throw new Error(`${find} not found`);
  return addCommentThread(doc, { target, from, to: from + find.length, author, text }, "test");
}

/** The text a thread's range covers now. */
function covered(doc: Y.Doc, threadId: string): string | null {
  const thread = readCommentThread(doc, threadId)!;
  return thread.from === null ? null : textOf(doc, thread.target).slice(thread.from, thread.to!);
}

describe("comment threads on a doc canvas", () => {
  it("start with a quote and a first message, anchored to the range", () => {
    const doc = docWith("The quick brown fox jumps.");
    const { threadId, messageId } = commentOn(doc, docTarget, "brown fox", "Which fox?");
    const thread = readCommentThread(doc, threadId)!;
    expect(thread).toMatchObject({ id: threadId, target: docTarget, status: "open", from: 10, to: 19, detached: false, quote: "brown fox", suggestionIds: [] });
    expect(thread.messages).toEqual([{ id: messageId, author: ada, text: "Which fox?", mentions: [], createdAt: thread.createdAt }]);
    expect(doc.getMap(commentsMapName).size).toBe(1);
  });

  it("keep their range when people type before, right before, right after and inside it", () => {
    const doc = docWith("The quick brown fox jumps.");
    const { threadId } = commentOn(doc, docTarget, "brown fox");
    typeAt(doc, docTarget, 0, "So, "); // before
    expect(covered(doc, threadId)).toBe("brown fox");
    typeAt(doc, docTarget, 14, "big "); // right before "brown"
    expect(covered(doc, threadId)).toBe("brown fox");
    const end = readCommentThread(doc, threadId)!.to!;
    typeAt(doc, docTarget, end, "es"); // right after "fox"
    expect(textOf(doc, docTarget)).toBe("So, The quick big brown foxes jumps.");
    expect(covered(doc, threadId)).toBe("brown fox");
    typeAt(doc, docTarget, end - 3, "red "); // inside
    expect(covered(doc, threadId)).toBe("brown red fox");
    expect(readCommentThread(doc, threadId)!.quote).toBe("brown fox");
  });

  it("follow the text into another paragraph and across paragraphs", () => {
    const doc = docWith("First line.\n\nSecond line here.");
    const { threadId } = commentOn(doc, docTarget, "line.\nSecond");
    expect(covered(doc, threadId)).toBe("line.\nSecond");
    typeAt(doc, docTarget, 0, "A ");
    expect(covered(doc, threadId)).toBe("line.\nSecond");
  });

  it("become detached when everything they quoted is deleted, and keep their messages", () => {
    const doc = docWith("Keep this. Drop that. Keep too.");
    const { threadId } = commentOn(doc, docTarget, "Drop that.");
    const from = textOf(doc, docTarget).indexOf("Drop that.");
    deleteAt(doc, docTarget, from, from + 4); // part of it: still attached
    expect(covered(doc, threadId)).toBe(" that.");
    deleteAt(doc, docTarget, from, from + 6);
    expect(readCommentThread(doc, threadId)).toMatchObject({ from: null, to: null, detached: true, quote: "Drop that.", status: "open" });
    expect(readCommentThread(doc, threadId)!.messages).toHaveLength(1);
  });

  it("become detached when their paragraph is deleted", () => {
    const doc = docWith("Alpha.\n\nBeta.");
    const { threadId } = commentOn(doc, docTarget, "Beta");
    writeDocMarkdown(doc, "Alpha.");
    expect(readCommentThread(doc, threadId)).toMatchObject({ detached: true, from: null });
  });

  it("can start from encoded anchors (what a browser sends) and refuse anchors that point nowhere", () => {
    const doc = docWith("Hello brave world.");
    const view = suggestionTextView(doc, docTarget);
    const added = addCommentThreadAt(doc, { target: docTarget, from: view.anchor(6, "start"), to: view.anchor(11, "end"), author: ada, text: "Bold?" });
    expect(readCommentThread(doc, added!.threadId)).toMatchObject({ quote: "brave", from: 6, to: 11 });
    const other = codeWith("x");
    const foreign = suggestionTextView(other, codeTarget).anchor(0, "start");
    expect(addCommentThreadAt(doc, { target: docTarget, from: foreign, to: foreign, author: ada, text: "?" })).toBeNull();
    expect(addCommentThreadAt(doc, { target: codeTarget, from: foreign, to: foreign, author: ada, text: "?" })).toBeNull();
    expect(readCommentThreads(doc)).toHaveLength(1);
  });

  it("refuse blank text and write nothing", () => {
    const doc = docWith("Text.");
    expect(() => addCommentThread(doc, { target: docTarget, from: 0, to: 4, author: ada, text: "  " })).toThrow(/needs some text/);
    expect(readCommentThreads(doc)).toEqual([]);
  });

  it("are placed in the editor's ProseMirror document for highlighting", () => {
    const doc = docWith("# Title\n\nSome words here.");
    const { threadId } = commentOn(doc, docTarget, "words");
    const pmDoc = readDocNode(doc);
    const placed = commentThreadsInProseMirror(doc, pmDoc)!;
    expect(placed).toHaveLength(1);
    expect(placed[0]!.thread.id).toBe(threadId);
    expect(pmDoc.textBetween(placed[0]!.from, placed[0]!.to)).toBe("words");
    expect(commentThreadsInProseMirror(doc, pmDoc, { status: "resolved" })).toEqual([]);
    typeAt(doc, docTarget, 0, "x"); // the editor has not caught up yet
    expect(commentThreadsInProseMirror(doc, pmDoc)).toBeNull();
  });
});

describe("comment threads on a code file", () => {
  it("keep their range through edits and follow the file through a rename", () => {
    const doc = codeWith("const total = a + b;\n");
    const { threadId } = commentOn(doc, codeTarget, "a + b");
    typeAt(doc, codeTarget, 0, "// sum\n");
    typeAt(doc, codeTarget, textOf(doc, codeTarget).indexOf("a + b"), "(");
    typeAt(doc, codeTarget, textOf(doc, codeTarget).indexOf(";"), ")");
    expect(covered(doc, threadId)).toBe("a + b");
    renameCodeFile(doc, findCodeFileByPath(doc, "main.ts")!.id, "sum.ts");
    expect(readCommentThread(doc, threadId)).toMatchObject({ target: { kind: "code", path: "sum.ts" }, quote: "a + b", detached: false });
    expect(readCommentThreads(doc, { target: { kind: "code", path: "sum.ts" } })).toHaveLength(1);
    expect(readCommentThreads(doc, { target: { kind: "code", path: "main.ts" } })).toHaveLength(0);
    removeCodeFile(doc, findCodeFileByPath(doc, "sum.ts")!.id);
    expect(readCommentThread(doc, threadId)).toMatchObject({ detached: true, from: null, target: { kind: "code", path: "main.ts" } });
  });

  it("refuse a target file that does not exist", () => {
    const doc = codeWith("x");
    expect(() => addCommentThread(doc, { target: { kind: "code", path: "nope.ts" }, from: 0, to: 1, author: ada, text: "?" })).toThrow(/no code file/);
  });
});

describe("replies, resolve, reopen, links", () => {
  it("replies append in order with their mentions; resolve and reopen record who and when", () => {
    const doc = docWith("Some text.");
    const { threadId } = commentOn(doc, docTarget, "text");
    const replyId = replyToThread(doc, threadId, { author: grace, text: "@Reviewer can you check?", mentions: [{ kind: "agent", id: "a1", name: "Reviewer" }, { kind: "agent", id: "a1", name: "Reviewer" }] });
    expect(replyId).toMatch(/^[0-9a-z]{16}$/);
    expect(readCommentThread(doc, threadId)!.messages.map((message) => [message.author.name, message.text, message.mentions])).toEqual([
      ["Ada", "Why this?", []],
      ["Grace", "@Reviewer can you check?", [{ kind: "agent", id: "a1", name: "Reviewer" }]],
    ]);

    expect(resolveThread(doc, threadId, { kind: "person", id: "u2", name: "Grace" })).toBe("resolved");
    expect(resolveThread(doc, threadId, { kind: "person", id: "u2", name: "Grace" })).toBe("already-resolved");
    expect(readCommentThread(doc, threadId)).toMatchObject({ status: "resolved", resolvedBy: { kind: "person", id: "u2", name: "Grace" } });
    expect(readCommentThread(doc, threadId)!.resolvedAt).toMatch(/^\d{4}-/);
    expect(readCommentThreads(doc, { status: "open" })).toEqual([]);
    expect(readCommentThreads(doc, { status: "resolved" })).toHaveLength(1);

    expect(reopenThread(doc, threadId)).toBe("reopened");
    expect(reopenThread(doc, threadId)).toBe("already-open");
    const reopened = readCommentThread(doc, threadId)!;
    expect(reopened.status).toBe("open");
    expect(reopened.resolvedBy).toBeUndefined();
    expect(reopened.resolvedAt).toBeUndefined();
  });

  it("a reply to a resolved thread reopens it", () => {
    const doc = docWith("Some text.");
    const { threadId } = commentOn(doc, docTarget, "text");
    resolveThread(doc, threadId, ada);
    replyToThread(doc, threadId, { author: reviewer, text: "One more thing." });
    expect(readCommentThread(doc, threadId)).toMatchObject({ status: "open" });
    expect(readCommentThread(doc, threadId)!.messages[1]!.author).toEqual(reviewer);
  });

  it("unknown threads are reported, not created", () => {
    const doc = docWith("Some text.");
    expect(replyToThread(doc, "nope", { author: ada, text: "Hi" })).toBeNull();
    expect(resolveThread(doc, "nope", ada)).toBe("not-found");
    expect(reopenThread(doc, "nope")).toBe("not-found");
    expect(linkSuggestionToThread(doc, "nope", "s1")).toBe(false);
    expect(readCommentThreads(doc)).toEqual([]);
  });

  it("links suggestions once each", () => {
    const doc = docWith("Some text.");
    const { threadId } = commentOn(doc, docTarget, "text");
    expect(linkSuggestionToThread(doc, threadId, "s1")).toBe(true);
    expect(linkSuggestionToThread(doc, threadId, "s1")).toBe(true);
    linkSuggestionToThread(doc, threadId, "s2");
    expect(readCommentThread(doc, threadId)!.suggestionIds).toEqual(["s1", "s2"]);
  });

  it("observers hear every change to threads, once per transaction", () => {
    const doc = docWith("Some text.");
    let changes = 0;
    const stop = observeComments(doc, () => changes++);
    const { threadId } = commentOn(doc, docTarget, "text");
    replyToThread(doc, threadId, { author: grace, text: "Yes" });
    resolveThread(doc, threadId, grace);
    linkSuggestionToThread(doc, threadId, "s1");
    expect(changes).toBe(4);
    stop();
    reopenThread(doc, threadId);
    expect(changes).toBe(4);
  });
});

describe("changing and deleting messages", () => {
  it("an edit changes the text and mentions and stamps editedAt; a deletion removes one message, and the last takes the thread", () => {
    const doc = docWith("Some text.");
    const { threadId, messageId } = commentOn(doc, docTarget, "text");
    const replyId = replyToThread(doc, threadId, { author: grace, text: "Fine by me." })!;
    expect(commentMessageAuthor(doc, threadId, replyId)).toMatchObject({ kind: "person", id: "u2" });
    expect(commentMessageAuthor(doc, threadId, "nope")).toBeNull();

    expect(editCommentMessage(doc, threadId, messageId, { text: "Why this, @Reviewer?", mentions: [{ kind: "agent", id: "a1", name: "Reviewer" }] })).toBe(true);
    const [edited, untouched] = readCommentThread(doc, threadId)!.messages;
    expect(edited).toMatchObject({ text: "Why this, @Reviewer?", mentions: [{ kind: "agent", id: "a1", name: "Reviewer" }], editedAt: expect.stringMatching(/^\d{4}-/) });
    expect(untouched!.editedAt).toBeUndefined();
    expect(() => editCommentMessage(doc, threadId, messageId, { text: "  " })).toThrow(/needs some text/);
    expect(editCommentMessage(doc, threadId, "nope", { text: "Hm." })).toBe(false);

    expect(deleteCommentMessage(doc, threadId, messageId)).toBe("deleted");
    expect(readCommentThread(doc, threadId)!.messages.map((message) => message.text)).toEqual(["Fine by me."]);
    expect(deleteCommentMessage(doc, threadId, messageId)).toBe("not-found");
    expect(deleteCommentMessage(doc, threadId, replyId)).toBe("thread-deleted");
    expect(readCommentThreads(doc)).toEqual([]);
  });
});

describe("replicas", () => {
  it("converge after concurrent threads, replies, edits and a resolve", () => {
    const first = docWith("The quick brown fox jumps over the lazy dog.", 1);
    const second = new Y.Doc();
    second.clientID = 2;
    sync(first, second);
    const shared = commentOn(first, docTarget, "lazy dog");
    sync(first, second);

    // Offline on both sides at once.
    commentOn(first, docTarget, "quick", "Fast?");
    commentOn(second, docTarget, "jumps", "Leaps?", grace);
    replyToThread(first, shared.threadId, { author: ada, text: "from first" });
    replyToThread(second, shared.threadId, { author: grace, text: "from second" });
    resolveThread(second, shared.threadId, grace);
    linkSuggestionToThread(first, shared.threadId, "s1");
    linkSuggestionToThread(second, shared.threadId, "s1");
    typeAt(first, docTarget, 0, "Look: ");
    typeAt(second, docTarget, textOf(second, docTarget).indexOf("lazy"), "very "); // right before: outside
    typeAt(second, docTarget, textOf(second, docTarget).indexOf("dog"), "old "); // inside
    sync(first, second);

    const threads = readCommentThreads(first);
    expect(readCommentThreads(second)).toEqual(threads);
    expect(threads.map((thread) => thread.quote).sort()).toEqual(["jumps", "lazy dog", "quick"]);
    const thread = threads.find((candidate) => candidate.id === shared.threadId)!;
    expect(thread.messages.map((message) => message.text).sort()).toEqual(["Why this?", "from first", "from second"]);
    // Only the resolve wrote the status (the reply on the first replica found the thread open).
    expect(thread.status).toBe("resolved");
    expect(thread.suggestionIds).toEqual(["s1"]);
    expect(covered(first, shared.threadId)).toBe("lazy old dog");
    expect(covered(second, shared.threadId)).toBe("lazy old dog");
  });

  it("a commenter's replica sees threads the server wrote, with the same offsets", () => {
    const server = codeWith("let a = 1;\nlet b = 2;\n");
    const browser = new Y.Doc();
    sync(server, browser);
    const { threadId } = commentOn(server, codeTarget, "b = 2");
    sync(server, browser);
    expect(readCommentThread(browser, threadId)).toEqual(readCommentThread(server, threadId));
  });
});
