import type { HocuspocusProvider } from "@hocuspocus/provider";
import { useState } from "react";
import type { AiTarget } from "../../ai/ai-panel.tsx";
import { useShowFileOfFocusedThread } from "../../comments/comment-focus.ts";
import type { PresenceUser } from "../../sync/user-presence.ts";
import { CodeEditor } from "./code-editor.tsx";
import { FileList } from "./file-list.tsx";
import { languageChoices } from "./language-support.ts";
import { useCodeFiles } from "./use-code-files.ts";

interface CodeCanvasProps {
  provider: HocuspocusProvider;
  user: PresenceUser;
  editable: boolean;
  /** Receives a reader of what the AI would work on: the selected code, or the open file. */
  onAiTarget?(read: () => AiTarget): void;
}

/** A code canvas: its files on the left, the chosen one in CodeMirror on the right. */
export default function CodeCanvas({ provider, user, editable, onAiTarget }: CodeCanvasProps) {
  const files = useCodeFiles(provider.document);
  const [chosenId, setChosenId] = useState<string | null>(null);
  // Fall back to the first file when nothing (or a since-deleted file) is chosen.
  const selected = files.files.find((file) => file.id === chosenId) ?? files.files[0] ?? null;
  const text = selected ? files.textOf(selected.id) : null;
  // A comment thread focused in the panel opens its file.
  useShowFileOfFocusedThread(provider.document, (path) => {
    const file = files.files.find((candidate) => candidate.path === path);
    if (file) setChosenId(file.id);
  });
  const choices = selected && !languageChoices.some((choice) => choice.value === selected.language)
    ? [...languageChoices, { value: selected.language, label: selected.language }]
    : languageChoices;

  return (
    <div className="code-canvas" data-testid="code-canvas">
      <FileList
        files={files.files}
        selectedId={selected?.id ?? null}
        editable={editable}
        onSelect={setChosenId}
        onAdd={(path) => setChosenId(files.add(path))}
        onRename={files.rename}
        onRemove={files.remove}
      />
      <div className="code-main">
        {selected && text ? (
          <>
            <div className="code-file-bar">
              <span className="code-file-path" data-testid="current-file">{selected.path}</span>
              <label className="muted small">
                Language{" "}
                <select value={selected.language} disabled={!editable} onChange={(event) => files.setLanguage(selected.id, event.target.value)} data-testid="file-language">
                  {choices.map((choice) => (
                    <option key={choice.value} value={choice.value}>
                      {choice.label}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <CodeEditor key={selected.id} path={selected.path} text={text} language={selected.language} provider={provider} user={user} editable={editable} onAiTarget={onAiTarget} />
          </>
        ) : (
          <p className="empty">{editable ? "Add a file to start writing code." : "This canvas has no files yet."}</p>
        )}
      </div>
    </div>
  );
}
