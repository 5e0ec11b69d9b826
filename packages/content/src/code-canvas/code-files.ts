import * as Y from "yjs";
import { languageForPath } from "./language-for-path.ts";
import { replaceText } from "./replace-text.ts";

/** The name of the `Y.Map` that holds a code canvas: file id → file. */
export const codeFilesName = "files";

/** One file of a code canvas, read out of the Y.Doc. */
export interface CodeFileSnapshot {
  id: string;
  path: string;
  language: string;
  content: string;
}

/** A file to write into a code canvas. An empty or missing language is guessed from the path. */
export interface CodeFileInput {
  path: string;
  language?: string;
  content?: string;
}

function filesMap(ydoc: Y.Doc): Y.Map<unknown> {
  return ydoc.getMap(codeFilesName);
}

/** A random file id: 16 characters of [0-9a-z], from the Web Crypto API (also in Node). */
export function newFileId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => "0123456789abcdefghijklmnopqrstuvwxyz"[byte % 36]).join("");
}

/** Reads one file entry; tolerates entries other clients wrote with missing or odd fields. */
function readFile(id: string, value: unknown): CodeFileSnapshot | null {
  if (!(value instanceof Y.Map)) return null;
  const path = typeof value.get("path") === "string" ? (value.get("path") as string) : "";
  const language = typeof value.get("language") === "string" ? (value.get("language") as string) : languageForPath(path);
  const content = value.get("content");
  return { id, path, language, content: content instanceof Y.Text || typeof content === "string" ? content.toString() : "" };
}

/**
 * Lists the files of a code canvas, sorted by path (then id, so the order is stable).
 *
 * @example
 * ```ts
 * listCodeFiles(document); // [{ id: "k3…", path: "src/main.ts", language: "typescript", content: "…" }]
 * ```
 */
export function listCodeFiles(ydoc: Y.Doc): CodeFileSnapshot[] {
  const files: CodeFileSnapshot[] = [];
  filesMap(ydoc).forEach((value, id) => {
    const file = readFile(id, value);
    if (file) files.push(file);
  });
  return files.sort((first, second) => compare(first.path, second.path) || compare(first.id, second.id));
}

function compare(first: string, second: string): number {
  return first < second ? -1 : first > second ? 1 : 0;
}

/** The file at a path, if the canvas has one. */
export function findCodeFileByPath(ydoc: Y.Doc, path: string): CodeFileSnapshot | undefined {
  return listCodeFiles(ydoc).find((file) => file.path === path);
}

/** Builds the `Y.Map` of one file, ready to be put in the files map. */
export function createFileMap(path: string, language: string, content: string): Y.Map<unknown> {
  const file = new Y.Map<unknown>();
  file.set("path", path);
  file.set("language", language);
  file.set("content", new Y.Text(content));
  return file;
}

/**
 * Adds a file to a code canvas and returns its new id. Paths are not checked for
 * duplicates; callers that need unique paths check with {@link findCodeFileByPath}.
 */
export function addCodeFile(ydoc: Y.Doc, file: CodeFileInput, origin?: unknown): string {
  const id = newFileId();
  ydoc.transact(() => {
    filesMap(ydoc).set(id, createFileMap(file.path, file.language || languageForPath(file.path), file.content ?? ""));
  }, origin);
  return id;
}

/** Sets a field of one file; returns false when there is no file with that id. */
function setFileField(ydoc: Y.Doc, id: string, key: "path" | "language", value: string, origin: unknown): boolean {
  const file = filesMap(ydoc).get(id);
  if (!(file instanceof Y.Map)) return false;
  if (file.get(key) !== value) ydoc.transact(() => file.set(key, value), origin);
  return true;
}

/** Moves a file to a new path (its language stays). Returns false when there is no such file. */
export function renameCodeFile(ydoc: Y.Doc, id: string, path: string, origin?: unknown): boolean {
  return setFileField(ydoc, id, "path", path, origin);
}

/** Sets a file's language; `""` means plain text. Returns false when there is no such file. */
export function setCodeFileLanguage(ydoc: Y.Doc, id: string, language: string, origin?: unknown): boolean {
  return setFileField(ydoc, id, "language", language, origin);
}

/** Deletes a file. Returns false when there was no such file. */
export function removeCodeFile(ydoc: Y.Doc, id: string, origin?: unknown): boolean {
  const files = filesMap(ydoc);
  if (!files.has(id)) return false;
  ydoc.transact(() => files.delete(id), origin);
  return true;
}

/**
 * Replaces all files of a code canvas, in one transaction. A file already at one of the
 * given paths keeps its id and is edited in place (so open editors keep their cursors);
 * the other files are deleted and the new ones added.
 */
export function writeCodeFiles(ydoc: Y.Doc, files: readonly CodeFileInput[], origin?: unknown): void {
  const map = filesMap(ydoc);
  const reusable = new Map<string, string>();
  for (const file of listCodeFiles(ydoc)) if (!reusable.has(file.path)) reusable.set(file.path, file.id);
  ydoc.transact(() => {
    const kept = new Set<string>();
    for (const file of files) {
      const language = file.language || languageForPath(file.path);
      const id = reusable.get(file.path);
      reusable.delete(file.path);
      if (id === undefined) {
        const newId = newFileId();
        map.set(newId, createFileMap(file.path, language, file.content ?? ""));
        kept.add(newId);
      } else {
        updateFile(map, id, { path: file.path, language, content: file.content ?? "" });
        kept.add(id);
      }
    }
    for (const id of Array.from(map.keys())) if (!kept.has(id)) map.delete(id);
  }, origin);
}

/**
 * Makes the file `id` hold exactly the given path, language and content, editing the
 * existing entry in place when it is well formed and recreating it otherwise.
 * Must run inside a transaction.
 */
export function updateFile(map: Y.Map<unknown>, id: string, target: { path: string; language: string; content: string }): void {
  const file = map.get(id);
  const content = file instanceof Y.Map ? file.get("content") : undefined;
  if (!(file instanceof Y.Map) || !(content instanceof Y.Text)) {
    map.set(id, createFileMap(target.path, target.language, target.content));
    return;
  }
  if (file.get("path") !== target.path) file.set("path", target.path);
  if (file.get("language") !== target.language) file.set("language", target.language);
  replaceText(content, target.content);
}
