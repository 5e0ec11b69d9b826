import { useEditorState, type Editor } from "@tiptap/react";
import { useRef, type ChangeEvent, type ReactNode } from "react";
import { ErrorBanner } from "../../ui/error-banner.tsx";
import { useAction } from "../../ui/use-resource.ts";
import { acceptedImageTypes, uploadImage } from "./upload-image.ts";

function ToolButton({ label, active, onClick, children, testId }: { label: string; active?: boolean; onClick(): void; children: ReactNode; testId: string }) {
  return (
    <button
      type="button"
      className={active ? "tool active" : "tool"}
      aria-label={label}
      aria-pressed={active}
      title={label}
      // Keep the selection in the editor while clicking.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onClick}
      data-testid={testId}
    >
      {children}
    </button>
  );
}

/** Formatting controls for the document editor. */
export function RichTextToolbar({ editor, canvasId }: { editor: Editor; canvasId: string }) {
  const fileInput = useRef<HTMLInputElement>(null);
  const upload = useAction();
  const state = useEditorState({
    editor,
    selector: ({ editor: current }) => ({
      heading1: current.isActive("heading", { level: 1 }),
      heading2: current.isActive("heading", { level: 2 }),
      heading3: current.isActive("heading", { level: 3 }),
      bold: current.isActive("bold"),
      italic: current.isActive("italic"),
      strike: current.isActive("strike"),
      code: current.isActive("code"),
      bulletList: current.isActive("bulletList"),
      orderedList: current.isActive("orderedList"),
      blockquote: current.isActive("blockquote"),
      codeBlock: current.isActive("codeBlock"),
      link: current.isActive("link"),
      table: current.isActive("table"),
    }),
  });
  const chain = () => editor.chain().focus();

  function editLink() {
    const previous = (editor.getAttributes("link").href as string | undefined) ?? "";
    const href = window.prompt("Link address (empty to remove)", previous);
    if (href === null) return;
    if (href.trim() === "") chain().extendMarkRange("link").unsetLink().run();
    else chain().extendMarkRange("link").setLink({ href: href.trim() }).run();
  }

  async function addImage(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    const url = await upload.run(() => uploadImage(canvasId, file));
    if (url) chain().setImage({ src: url, alt: file.name }).run();
  }

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting" data-testid="rich-text-toolbar">
      <div className="tool-group">
        <ToolButton label="Heading 1" active={state.heading1} onClick={() => chain().toggleHeading({ level: 1 }).run()} testId="tool-h1">H1</ToolButton>
        <ToolButton label="Heading 2" active={state.heading2} onClick={() => chain().toggleHeading({ level: 2 }).run()} testId="tool-h2">H2</ToolButton>
        <ToolButton label="Heading 3" active={state.heading3} onClick={() => chain().toggleHeading({ level: 3 }).run()} testId="tool-h3">H3</ToolButton>
      </div>
      <div className="tool-group">
        <ToolButton label="Bold" active={state.bold} onClick={() => chain().toggleBold().run()} testId="tool-bold"><strong>B</strong></ToolButton>
        <ToolButton label="Italic" active={state.italic} onClick={() => chain().toggleItalic().run()} testId="tool-italic"><em>I</em></ToolButton>
        <ToolButton label="Strikethrough" active={state.strike} onClick={() => chain().toggleStrike().run()} testId="tool-strike"><s>S</s></ToolButton>
        <ToolButton label="Inline code" active={state.code} onClick={() => chain().toggleCode().run()} testId="tool-code"><code>{"`"}</code></ToolButton>
        <ToolButton label="Link" active={state.link} onClick={editLink} testId="tool-link">Link</ToolButton>
      </div>
      <div className="tool-group">
        <ToolButton label="Bulleted list" active={state.bulletList} onClick={() => chain().toggleBulletList().run()} testId="tool-bullet-list">• List</ToolButton>
        <ToolButton label="Numbered list" active={state.orderedList} onClick={() => chain().toggleOrderedList().run()} testId="tool-ordered-list">1. List</ToolButton>
        <ToolButton label="Quote" active={state.blockquote} onClick={() => chain().toggleBlockquote().run()} testId="tool-blockquote">“ ”</ToolButton>
        <ToolButton label="Code block" active={state.codeBlock} onClick={() => chain().toggleCodeBlock().run()} testId="tool-code-block">{"{ }"}</ToolButton>
      </div>
      <div className="tool-group">
        <ToolButton label="Insert table" onClick={() => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run()} testId="tool-table">Table</ToolButton>
        {state.table && (
          <>
            <ToolButton label="Add row below" onClick={() => chain().addRowAfter().run()} testId="tool-add-row">+ Row</ToolButton>
            <ToolButton label="Add column right" onClick={() => chain().addColumnAfter().run()} testId="tool-add-column">+ Column</ToolButton>
            <ToolButton label="Delete table" onClick={() => chain().deleteTable().run()} testId="tool-delete-table">Delete table</ToolButton>
          </>
        )}
        <ToolButton label="Insert image" onClick={() => fileInput.current?.click()} testId="tool-image">{upload.busy ? "Uploading…" : "Image"}</ToolButton>
        <input ref={fileInput} type="file" accept={acceptedImageTypes.join(",")} hidden onChange={addImage} data-testid="image-input" />
      </div>
      <ErrorBanner message={upload.error} />
    </div>
  );
}
