/**
 * What the model is told: who it is, how to edit (through the edit tools, with exact
 * targets), and the canvas text with the selection marked.
 */
export interface PromptInput {
  title: string;
  /** "doc", or the code file's path and language. */
  target: { kind: "doc" } | { kind: "code"; path: string; language: string };
  /** The whole text of the target (doc: blocks separated by newlines). */
  text: string;
  /** The selected range in `text`, or null for the whole target. */
  scope: { from: number; to: number } | null;
  instruction: string;
  /** More the model should know, e.g. the open comment threads. */
  context?: string;
}

/** Characters of canvas text sent around the selection; the rest is elided. */
const contextChars = 24_000;

export const systemPrompt = `You are the AI co-editor in Cocanvas, a shared canvas that people edit live while you work.
You change the canvas only through the edit tools (replace, insert, delete). Every edit becomes a suggestion that a person accepts or rejects.
Rules:
- When there is a selection (between <selection> and </selection>), edit only inside it.
- The \`find\` and \`after\` fields must be copied exactly, character for character, from the text, and must occur only once in the part you may edit; add a few more words when a phrase repeats.
- Make targeted edits: one call per sentence, paragraph or block you change, and leave the rest alone. Rewrite the whole text only when the instruction asks for it (a first draft, a restructure, a port) — then do it section by section.
- In a document, new text that spans several lines is Markdown (headings, lists, paragraphs).
- After your edits, reply in one or two sentences saying what you changed. If nothing needs changing, say so and call no tool.`;

export function userPrompt(input: PromptInput): string {
  const what = input.target.kind === "doc" ? `the document "${input.title}"` : `the file ${input.target.path} (${input.target.language}) of the code canvas "${input.title}"`;
  const parts = [`You are working on ${what}.`];
  if (!input.text.trim()) {
    parts.push("It is empty: write with insert and an empty `after`.");
  } else if (input.scope) {
    const { from, to } = input.scope;
    const before = input.text.slice(Math.max(0, from - contextChars / 2), from);
    const after = input.text.slice(to, to + contextChars / 2);
    parts.push(
      "<canvas>\n" + (from > before.length ? "…\n" : "") + before + "<selection>" + input.text.slice(from, to) + "</selection>" + after + (to + after.length < input.text.length ? "\n…" : "") + "\n</canvas>",
    );
    parts.push("Edit only the text between <selection> and </selection>.");
  } else {
    const shown = input.text.length > contextChars ? input.text.slice(0, contextChars) + "\n…" : input.text;
    parts.push("<canvas>\n" + shown + "\n</canvas>", "There is no selection: the request is about the whole text.");
  }
  if (input.context) parts.push(input.context);
  parts.push(`Instruction: ${input.instruction}`);
  return parts.join("\n\n");
}
