import type { Editor } from "@tiptap/react";

/**
 * The chained commands the toolbar uses, typed by hand. The install tree holds two copies
 * of @tiptap/core (3.34.0 at the root, 3.31.3 beside StarterKit), and the command types
 * StarterKit's extensions declare attach to the other copy. At runtime Vite dedupes them.
 */
export interface FormattingChain {
  toggleHeading(attributes: { level: 1 | 2 | 3 }): FormattingChain;
  toggleBold(): FormattingChain;
  toggleItalic(): FormattingChain;
  toggleStrike(): FormattingChain;
  toggleCode(): FormattingChain;
  toggleBulletList(): FormattingChain;
  toggleOrderedList(): FormattingChain;
  toggleBlockquote(): FormattingChain;
  toggleCodeBlock(): FormattingChain;
  extendMarkRange(type: string): FormattingChain;
  setLink(attributes: { href: string }): FormattingChain;
  unsetLink(): FormattingChain;
  insertTable(options: { rows: number; cols: number; withHeaderRow: boolean }): FormattingChain;
  addRowAfter(): FormattingChain;
  addColumnAfter(): FormattingChain;
  deleteTable(): FormattingChain;
  setImage(attributes: { src: string; alt?: string }): FormattingChain;
  run(): boolean;
}

/** `editor.chain().focus()` with the formatting commands typed. */
export function formattingChain(editor: Editor): FormattingChain {
  return editor.chain().focus() as unknown as FormattingChain;
}
