import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addCodeFile, listCodeFiles, removeCodeFile, renameCodeFile, setCodeFileLanguage } from "../code-canvas/code-files.ts";
import { readDocMarkdown, writeDocMarkdown } from "../doc-canvas/doc-canvas.ts";
import { canvasText } from "./canvas-text.ts";
import { diffLines } from "./diff-lines.ts";
import { docFromState } from "./doc-from-state.ts";
import { restoreCanvas } from "./restore-canvas.ts";

/** A live document and a second client kept in sync through ordinary Yjs updates. */
function connectedPair() {
  const live = new Y.Doc();
  const client = new Y.Doc();
  const origins: unknown[] = [];
  live.on("update", (update: Uint8Array, origin: unknown) => {
    origins.push(origin);
    Y.applyUpdate(client, update, "network");
  });
  client.on("update", (update: Uint8Array, origin: unknown) => {
    if (origin !== "network") Y.applyUpdate(live, update, "network");
  });
  return { live, client, origins };
}

describe("canvasText", () => {
  it("renders a doc canvas as Markdown", () => {
    const ydoc = new Y.Doc();
    writeDocMarkdown(ydoc, "# Hi\n\nthere");
    expect(canvasText(ydoc, "doc")).toBe("# Hi\n\nthere\n");
  });

  it("renders a code canvas as files sorted by path, each under a header", () => {
    const ydoc = new Y.Doc();
    addCodeFile(ydoc, { path: "src/b.ts", content: "export const b = 2;" });
    addCodeFile(ydoc, { path: "README.md", content: "# Readme\n" });
    addCodeFile(ydoc, { path: "empty.txt" });
    expect(canvasText(ydoc, "code")).toBe(
      "── README.md (markdown) ──\n# Readme\n\n── empty.txt (plaintext) ──\n\n── src/b.ts (typescript) ──\nexport const b = 2;\n",
    );
  });

  it("renders an empty canvas as empty text", () => {
    expect(canvasText(new Y.Doc(), "code")).toBe("");
    expect(canvasText(new Y.Doc(), "doc")).toBe("");
  });
});

describe("diffLines", () => {
  it("reports unchanged, removed and added lines in order", () => {
    expect(diffLines("a\nb\nc\n", "a\nB\nc\nd\n")).toEqual([
      { type: "same", text: "a" },
      { type: "remove", text: "b" },
      { type: "add", text: "B" },
      { type: "same", text: "c" },
      { type: "add", text: "d" },
    ]);
  });

  it("ignores a missing final newline and CRLF line ends", () => {
    expect(diffLines("a\r\nb", "a\nb\n")).toEqual([{ type: "same", text: "a" }, { type: "same", text: "b" }]);
  });

  it("handles empty texts and blank lines", () => {
    expect(diffLines("", "")).toEqual([]);
    expect(diffLines("", "x\n\ny")).toEqual([{ type: "add", text: "x" }, { type: "add", text: "" }, { type: "add", text: "y" }]);
    expect(diffLines("x", "")).toEqual([{ type: "remove", text: "x" }]);
  });
});

describe("restoreCanvas on a doc canvas", () => {
  it("brings every connected client back to the version, as an ordinary update", () => {
    const { live, client, origins } = connectedPair();
    writeDocMarkdown(live, "# Plan\n\n- write the spec\n- ship it\n");
    const version = Y.encodeStateAsUpdate(live);
    const versionMarkdown = canvasText(docFromState(version), "doc");

    writeDocMarkdown(live, "# Plan v2\n\nEverything changed.\n");
    writeDocMarkdown(client, "# Plan v2\n\nEverything changed, again.\n\n| a |\n| --- |\n| 1 |\n");
    expect(readDocMarkdown(live)).not.toBe(versionMarkdown);

    origins.length = 0;
    restoreCanvas(live, version, "doc", "restore");
    expect(origins).toEqual(["restore"]);
    expect(readDocMarkdown(live)).toBe(versionMarkdown);
    expect(readDocMarkdown(client)).toBe(versionMarkdown);
    expect(canvasText(live, "doc")).toBe(versionMarkdown);
  });

  it("is itself a change that can be restored away, and later edits still sync", () => {
    const { live, client } = connectedPair();
    writeDocMarkdown(live, "first");
    const first = Y.encodeStateAsUpdate(live);
    writeDocMarkdown(live, "second **bold**");
    const second = Y.encodeStateAsUpdate(live);

    restoreCanvas(live, first, "doc");
    expect(readDocMarkdown(client)).toBe("first\n");
    restoreCanvas(live, second, "doc");
    expect(readDocMarkdown(client)).toBe("second **bold**\n");

    writeDocMarkdown(client, "third");
    expect(readDocMarkdown(live)).toBe("third\n");
  });

  it("leaves a late client that missed the restore converging once it syncs", () => {
    const live = new Y.Doc();
    writeDocMarkdown(live, "version one");
    const version = Y.encodeStateAsUpdate(live);
    const late = docFromState(Y.encodeStateAsUpdate(live));
    writeDocMarkdown(live, "version two");
    writeDocMarkdown(late, "offline edit");
    restoreCanvas(live, version, "doc");
    Y.applyUpdate(late, Y.encodeStateAsUpdate(live, Y.encodeStateVector(late)));
    Y.applyUpdate(live, Y.encodeStateAsUpdate(late, Y.encodeStateVector(live)));
    expect(readDocMarkdown(late)).toBe(readDocMarkdown(live));
  });
});

describe("restoreCanvas on a code canvas", () => {
  it("restores contents, paths, languages, deleted and added files on every client", () => {
    const { live, client, origins } = connectedPair();
    const mainId = addCodeFile(live, { path: "main.ts", content: "const a = 1;\nconsole.log(a);\n" });
    const utilId = addCodeFile(live, { path: "util.ts", content: "export const u = 1;\n" });
    const version = Y.encodeStateAsUpdate(live);
    const versionText = canvasText(docFromState(version), "code");

    const mainText = (live.getMap("files").get(mainId) as Y.Map<unknown>).get("content") as Y.Text;
    mainText.insert(0, "// edited\n");
    renameCodeFile(live, mainId, "index.ts");
    setCodeFileLanguage(client, mainId, "javascript");
    removeCodeFile(client, utilId);
    addCodeFile(client, { path: "extra.py", content: "print(1)" });

    origins.length = 0;
    restoreCanvas(live, version, "code", "restore");
    expect(origins).toEqual(["restore"]);
    expect(canvasText(live, "code")).toBe(versionText);
    expect(canvasText(client, "code")).toBe(versionText);
    expect(listCodeFiles(client).map((file) => file.id).sort()).toEqual([mainId, utilId].sort());
  });

  it("edits changed files in place, so text another client typed elsewhere survives a concurrent restore", () => {
    const live = new Y.Doc();
    const id = addCodeFile(live, { path: "a.ts", content: "line 1\nline 2\nline 3\n" });
    const version = Y.encodeStateAsUpdate(live);
    const text = () => (live.getMap("files").get(id) as Y.Map<unknown>).get("content") as Y.Text;
    text().insert(0, "new first line\n");

    const offline = docFromState(Y.encodeStateAsUpdate(live));
    const offlineText = (offline.getMap("files").get(id) as Y.Map<unknown>).get("content") as Y.Text;
    offlineText.insert(offlineText.length, "typed at the end\n");

    restoreCanvas(live, version, "code");
    Y.applyUpdate(live, Y.encodeStateAsUpdate(offline, Y.encodeStateVector(live)));
    expect(text().toString()).toBe("line 1\nline 2\nline 3\ntyped at the end\n");
  });
});

describe("docFromState", () => {
  it("loads an encoded state, and an empty one as an empty document", () => {
    const ydoc = new Y.Doc();
    addCodeFile(ydoc, { path: "x.ts" });
    expect(listCodeFiles(docFromState(Y.encodeStateAsUpdate(ydoc)))).toHaveLength(1);
    expect(listCodeFiles(docFromState(new Uint8Array()))).toEqual([]);
  });
});
