import { richTextExtensions } from "@cocanvas/content";
import type { HocuspocusProvider } from "@hocuspocus/provider";
import { Collaboration } from "@tiptap/extension-collaboration";
import { CollaborationCaret } from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor } from "@tiptap/react";
import { yUndoPluginKey } from "@tiptap/y-tiptap";
import { useEffect, useRef } from "react";
import type * as Y from "yjs";
import type { PresenceUser } from "../../sync/user-presence.ts";
import { decideSuggestion } from "../suggestion-widget.ts";
import { RichTextToolbar } from "./rich-text-toolbar.tsx";
import { SuggestionDecorations } from "./suggestion-decorations.ts";

interface RichTextEditorProps {
  canvasId: string;
  provider: HocuspocusProvider;
  user: PresenceUser;
  editable: boolean;
}

/** The live document editor: the shared schema plus Yjs collaboration and named carets. */
export function RichTextEditor({ canvasId, provider, user, editable }: RichTextEditorProps) {
  // The editor is built once per provider; decisions read the current user and editor through refs.
  const userRef = useRef(user);
  userRef.current = user;
  const decide = (decision: "accept" | "reject", id: string) => {
    const undoManager = editor ? ((yUndoPluginKey.getState(editor.state) as { undoManager?: Y.UndoManager } | undefined)?.undoManager ?? null) : null;
    decideSuggestion(provider.document, undoManager, userRef.current, decision, id);
  };
  const decideRef = useRef(decide);
  decideRef.current = decide;
  const editor = useEditor(
    {
      extensions: [
        ...richTextExtensions,
        Collaboration.configure({ document: provider.document, field: "content" }),
        CollaborationCaret.configure({ provider, user }),
        SuggestionDecorations.configure({
          document: provider.document,
          onAccept: (id) => decideRef.current("accept", id),
          onReject: (id) => decideRef.current("reject", id),
        }),
      ],
      editable,
      editorProps: { attributes: { class: "rich-text-content", "data-testid": "rich-text-content", spellcheck: "true" } },
    },
    [provider],
  );

  useEffect(() => {
    if (editor && editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);

  return (
    <div className="rich-text-editor" data-testid="rich-text-editor" data-editable={editable}>
      {editable && editor && <RichTextToolbar editor={editor} canvasId={canvasId} />}
      <EditorContent editor={editor} className="rich-text-page" />
    </div>
  );
}
