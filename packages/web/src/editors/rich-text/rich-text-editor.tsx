import { richTextExtensions, selectionAnchors } from "@cocanvas/content";
import type { HocuspocusProvider } from "@hocuspocus/provider";
import { Collaboration } from "@tiptap/extension-collaboration";
import { CollaborationCaret } from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor } from "@tiptap/react";
import { yUndoPluginKey } from "@tiptap/y-tiptap";
import { useEffect, useRef } from "react";
import type * as Y from "yjs";
import type { AiTarget } from "../../ai/ai-panel.tsx";
import { CommentHighlights } from "../../comments/rich-text-comment-highlights.ts";
import type { PresenceUser } from "../../sync/user-presence.ts";
import { base64 } from "../../ui/base64.ts";
import { decideSuggestion } from "../suggestion-widget.ts";
import { RichTextToolbar } from "./rich-text-toolbar.tsx";
import { SuggestionDecorations } from "./suggestion-decorations.ts";

interface RichTextEditorProps {
  canvasId: string;
  provider: HocuspocusProvider;
  user: PresenceUser;
  editable: boolean;
  /** Receives a reader of what the AI would work on: the selection, or the whole document. */
  onAiTarget?(read: () => AiTarget): void;
}

/** The live document editor: the shared schema plus Yjs collaboration and named carets. */
export function RichTextEditor({ canvasId, provider, user, editable, onAiTarget }: RichTextEditorProps) {
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
        CommentHighlights.configure({ document: provider.document }),
      ],
      editable,
      editorProps: { attributes: { class: "rich-text-content", "data-testid": "rich-text-content", spellcheck: "true" } },
    },
    [provider],
  );

  useEffect(() => {
    if (editor && editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);

  useEffect(() => {
    if (!editor || !onAiTarget) return;
    onAiTarget(() => {
      const { from, to, empty } = editor.state.selection;
      const anchors = empty ? null : selectionAnchors(editor.state, from, to);
      if (!anchors) return { label: "the whole document" };
      const characters = editor.state.doc.textBetween(from, to, "\n").length;
      return { selection: { from: base64(anchors.from), to: base64(anchors.to) }, label: `the selection (${characters} characters)` };
    });
  }, [editor, onAiTarget]);

  return (
    <div className="rich-text-editor" data-testid="rich-text-editor" data-editable={editable}>
      {editable && editor && <RichTextToolbar editor={editor} canvasId={canvasId} />}
      <EditorContent editor={editor} className="rich-text-page" />
    </div>
  );
}
