import { richTextExtensions } from "@cocanvas/content";
import type { HocuspocusProvider } from "@hocuspocus/provider";
import { Collaboration } from "@tiptap/extension-collaboration";
import { CollaborationCaret } from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor } from "@tiptap/react";
import { useEffect } from "react";
import type { PresenceUser } from "../../sync/user-presence.ts";
import { RichTextToolbar } from "./rich-text-toolbar.tsx";

interface RichTextEditorProps {
  canvasId: string;
  provider: HocuspocusProvider;
  user: PresenceUser;
  editable: boolean;
}

/** The live document editor: the shared schema plus Yjs collaboration and named carets. */
export function RichTextEditor({ canvasId, provider, user, editable }: RichTextEditorProps) {
  const editor = useEditor(
    {
      extensions: [
        ...richTextExtensions,
        Collaboration.configure({ document: provider.document, field: "content" }),
        CollaborationCaret.configure({ provider, user }),
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
