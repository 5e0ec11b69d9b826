import {
  addCodeFile,
  codeFilesName,
  languageForPath,
  listCodeFiles,
  removeCodeFile,
  renameCodeFile,
  setCodeFileLanguage,
  type CodeFileSnapshot,
} from "@cocanvas/content";
import { useEffect, useState } from "react";
import * as Y from "yjs";

/** The files of a code canvas, kept current as anyone edits the file list. */
export function useCodeFiles(document: Y.Doc) {
  const [files, setFiles] = useState<CodeFileSnapshot[]>(() => listCodeFiles(document));

  useEffect(() => {
    const map = document.getMap(codeFilesName);
    // Content edits also reach observeDeep; only re-list when the list or a path/language changed.
    const update = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      if (events.some((event) => !(event.target instanceof Y.Text))) setFiles(listCodeFiles(document));
    };
    setFiles(listCodeFiles(document));
    map.observeDeep(update);
    return () => map.unobserveDeep(update);
  }, [document]);

  return {
    files,
    /** The shared text of one file, which the editor binds to. */
    textOf(fileId: string): Y.Text | null {
      const file = document.getMap(codeFilesName).get(fileId);
      const content = file instanceof Y.Map ? file.get("content") : null;
      return content instanceof Y.Text ? content : null;
    },
    add: (path: string) => addCodeFile(document, { path, language: languageForPath(path) }),
    rename: (fileId: string, path: string) => renameCodeFile(document, fileId, path),
    setLanguage: (fileId: string, language: string) => setCodeFileLanguage(document, fileId, language),
    remove: (fileId: string) => removeCodeFile(document, fileId),
  };
}
