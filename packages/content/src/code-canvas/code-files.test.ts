import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addCodeFile, listCodeFiles, removeCodeFile, renameCodeFile, setCodeFileLanguage, writeCodeFiles } from "./code-files.ts";
import { languageForPath } from "./language-for-path.ts";

describe("code canvas files", () => {
  it("adds files with a guessed language and lists them by path", () => {
    const ydoc = new Y.Doc();
    const mainId = addCodeFile(ydoc, { path: "src/main.ts", content: "export {};\n" });
    const readmeId = addCodeFile(ydoc, { path: "README.md", language: "" });
    addCodeFile(ydoc, { path: "build.sh", language: "bash" });
    expect(mainId).not.toBe(readmeId);
    expect(listCodeFiles(ydoc)).toEqual([
      { id: readmeId, path: "README.md", language: "markdown", content: "" },
      expect.objectContaining({ path: "build.sh", language: "bash" }),
      { id: mainId, path: "src/main.ts", language: "typescript", content: "export {};\n" },
    ]);
  });

  it("stores each file as a Y.Map of path, language and Y.Text content", () => {
    const ydoc = new Y.Doc();
    const id = addCodeFile(ydoc, { path: "a.py", content: "print(1)" });
    const file = ydoc.getMap("files").get(id) as Y.Map<unknown>;
    expect(file.get("path")).toBe("a.py");
    expect(file.get("language")).toBe("python");
    expect(file.get("content")).toBeInstanceOf(Y.Text);
  });

  it("renames, changes the language of and removes files", () => {
    const ydoc = new Y.Doc();
    const id = addCodeFile(ydoc, { path: "old.js", content: "1" });
    expect(renameCodeFile(ydoc, id, "lib/new.js")).toBe(true);
    expect(setCodeFileLanguage(ydoc, id, "typescript")).toBe(true);
    expect(listCodeFiles(ydoc)).toEqual([{ id, path: "lib/new.js", language: "typescript", content: "1" }]);
    expect(removeCodeFile(ydoc, id)).toBe(true);
    expect(listCodeFiles(ydoc)).toEqual([]);
    expect(renameCodeFile(ydoc, id, "x")).toBe(false);
    expect(removeCodeFile(ydoc, id)).toBe(false);
  });

  it("replaces all files at once, keeping the ids of files at unchanged paths", () => {
    const ydoc = new Y.Doc();
    const keptId = addCodeFile(ydoc, { path: "keep.ts", content: "const a = 1;\n" });
    addCodeFile(ydoc, { path: "drop.ts" });
    let transactions = 0;
    ydoc.on("afterTransaction", () => transactions++);
    writeCodeFiles(ydoc, [
      { path: "keep.ts", language: "", content: "const a = 2;\n" },
      { path: "new.go", content: "package main\n" },
    ], "import");
    expect(transactions).toBe(1);
    const files = listCodeFiles(ydoc);
    expect(files.map(({ path, language, content }) => ({ path, language, content }))).toEqual([
      { path: "keep.ts", language: "typescript", content: "const a = 2;\n" },
      { path: "new.go", language: "go", content: "package main\n" },
    ]);
    expect(files[0]!.id).toBe(keptId);
  });

  it("skips malformed entries other clients may have written", () => {
    const ydoc = new Y.Doc();
    ydoc.getMap("files").set("junk", "not a file");
    const partial = new Y.Map<unknown>();
    ydoc.getMap("files").set("partial", partial);
    partial.set("path", "x.rs");
    expect(listCodeFiles(ydoc)).toEqual([{ id: "partial", path: "x.rs", language: "rust", content: "" }]);
  });
});

describe("languageForPath", () => {
  it.each([
    ["app.js", "javascript"], ["app.ts", "typescript"], ["App.tsx", "tsx"], ["App.jsx", "jsx"],
    ["main.py", "python"], ["lib.rs", "rust"], ["main.go", "go"], ["package.json", "json"],
    ["style.css", "css"], ["index.html", "html"], ["README.md", "markdown"], ["run.sh", "shell"],
    ["Main.java", "java"], ["a.c", "c"], ["a.cpp", "cpp"], ["q.sql", "sql"], ["ci.yml", "yaml"],
    ["config.yaml", "yaml"], ["Dockerfile", "dockerfile"], ["src/dir.v2/file", "plaintext"],
    ["LICENSE", "plaintext"], ["archive.xyz", "plaintext"], ["", "plaintext"],
  ])("%s → %s", (path, language) => {
    expect(languageForPath(path)).toBe(language);
  });
});
