import { z } from "zod";
import type { CanvasKind } from "./api.ts";

/**
 * Built-in quick actions: one click runs a prepared instruction on the selection (or the
 * whole canvas). `{param}` in a prompt is replaced by the chosen option.
 */
export interface QuickAction {
  id: string;
  label: string;
  canvasKind: CanvasKind | "any";
  prompt: string;
  /** A choice the action needs, e.g. the target language. */
  param?: { label: string; options: string[] };
  /** Where the action was defined. */
  source: "builtin" | "user" | "workspace";
}

const levels = ["Kindergarten", "Middle school", "High school", "College", "Graduate school"];
const languages = ["English", "French", "German", "Spanish", "Italian", "Portuguese", "Dutch", "Japanese", "Chinese", "Korean"];
const codeLanguages = ["TypeScript", "JavaScript", "Python", "Rust", "Go", "Java", "C#", "C++", "Ruby", "Kotlin"];

export const builtinQuickActions: QuickAction[] = [
  { id: "suggest-edits", label: "Suggest edits", canvasKind: "doc", source: "builtin", prompt: "Suggest concrete edits that improve clarity, flow and correctness. Make each edit a separate, small replacement; leave good sentences alone." },
  { id: "shorter", label: "Make shorter", canvasKind: "doc", source: "builtin", prompt: "Make the text about 30% shorter without losing meaning. Replace sentence by sentence." },
  { id: "longer", label: "Make longer", canvasKind: "doc", source: "builtin", prompt: "Make the text about 50% longer by adding relevant detail and examples, keeping the voice." },
  { id: "reading-level", label: "Reading level", canvasKind: "doc", source: "builtin", param: { label: "Level", options: levels }, prompt: "Rewrite the text for a {param} reading level. Replace sentence by sentence." },
  { id: "polish", label: "Final polish", canvasKind: "doc", source: "builtin", prompt: "Give the text a final polish: fix grammar, spelling, punctuation and awkward phrasing, and make it consistent. Change only what needs it." },
  { id: "emojis", label: "Add emojis", canvasKind: "doc", source: "builtin", prompt: "Add fitting emojis to the text, sparingly, without changing the words." },
  { id: "translate", label: "Translate", canvasKind: "doc", source: "builtin", param: { label: "Language", options: languages }, prompt: "Translate the text into {param}. Replace it passage by passage." },
  { id: "review", label: "Review code", canvasKind: "code", source: "builtin", prompt: "Review the code. For each real problem (bugs, unclear names, missing error handling, performance), insert a short comment in the file's comment syntax on its own line right above the line it concerns, starting with `REVIEW:`. Do not change the code itself." },
  { id: "add-logs", label: "Add logs", canvasKind: "code", source: "builtin", prompt: "Add log statements that would help debug this code (entry, key decisions, errors), in the idiom of the language." },
  { id: "add-comments", label: "Add comments", canvasKind: "code", source: "builtin", prompt: "Add comments that explain why the code does what it does where that is not obvious. Do not change the code." },
  { id: "fix-bugs", label: "Fix bugs", canvasKind: "code", source: "builtin", prompt: "Find and fix bugs. Make each fix a small, separate replacement, and say in your reply what each fix addresses." },
  { id: "port", label: "Port to language", canvasKind: "code", source: "builtin", param: { label: "Language", options: codeLanguages }, prompt: "Port the code to {param}, idiomatically, keeping behaviour identical. Replace the code as a whole." },
];

/** The instruction a quick action gives, with its parameter filled in. */
export function quickActionInstruction(action: Pick<QuickAction, "prompt">, param?: string | null): string {
  return action.prompt.replaceAll("{param}", param ?? "");
}

const base64 = z.string().max(4096).regex(/^[A-Za-z0-9+/=_-]*$/, "expected base64");

/**
 * A range of a canvas (and, on a code canvas, the file it is in), given one of three ways;
 * the server turns each into Yjs relative positions that follow the text as people type:
 *
 * - `{from, to}`: encoded Yjs relative positions (base64), as an editor bound to the
 *   document makes them — `from` with assoc 0 (it sticks to the character after it),
 *   `to` with assoc -1 (it sticks to the character before it), so text typed right
 *   outside the range stays outside (docs/decisions/0013-chain-budgets-and-text-ranges.md);
 * - `{quote, occurrence?}`: a passage quoted exactly; `occurrence` (1-based) picks one
 *   when it appears more than once;
 * - `{start, end}`: character offsets into the canvas text (`GET /api/canvases/{id}/export?format=text`)
 *   or the code file's text.
 */
export const AiSelection = z
  .strictObject({
    path: z.string().min(1).max(500).optional(),
    from: base64.optional(),
    to: base64.optional(),
    quote: z.string().min(1).max(20_000).optional(),
    occurrence: z.number().int().min(1).max(1_000_000).optional(),
    start: z.number().int().min(0).max(100_000_000).optional(),
    end: z.number().int().min(0).max(100_000_000).optional(),
  })
  .superRefine((selection, context) => {
    const forms = [selection.from !== undefined || selection.to !== undefined, selection.quote !== undefined, selection.start !== undefined || selection.end !== undefined];
    const given = forms.filter(Boolean).length;
    if (given !== 1) {
      context.addIssue({ code: "custom", message: "give the range one way: {from, to} (Yjs relative positions), {quote, occurrence?} or {start, end} (character offsets)" });
      return;
    }
    const pair = (a: "from" | "start", b: "to" | "end") => {
      for (const [field, other] of [[a, b], [b, a]] as const) {
        if (selection[field] === undefined) context.addIssue({ code: "custom", path: [field], message: `${field} is required with ${other}` });
      }
    };
    if (forms[0]) pair("from", "to");
    if (forms[2]) pair("start", "end");
    if (selection.start !== undefined && selection.end !== undefined && selection.end < selection.start) context.addIssue({ code: "custom", path: ["end"], message: "end must not be before start" });
    if (selection.occurrence !== undefined && selection.quote === undefined) context.addIssue({ code: "custom", path: ["occurrence"], message: "occurrence goes with quote" });
  });
export type AiSelection = z.infer<typeof AiSelection>;

export const AiRunCreateBody = z
  .strictObject({
    instruction: z.string().trim().max(20_000).optional(),
    quickAction: z.strictObject({ id: z.string().min(1).max(100), param: z.string().max(200).optional() }).optional(),
    /** The range to work on; without it, the whole doc or the file named by `path`. */
    selection: AiSelection.optional(),
    /** The code file to work on when there is no selection. */
    path: z.string().min(1).max(500).optional(),
    /** `provider:model`, overriding the workspace's default for this request. */
    model: z.string().min(3).max(300).optional(),
    /** Which agent works, by name (`Critic`, case-insensitive) or id (`builtin:critic`, a workspace agent's id); the Assistant when omitted. */
    agent: z.string().trim().min(1).max(100).optional(),
    /** The same as `agent` (kept for older clients). */
    agentId: z.string().min(1).max(100).optional(),
  })
  .refine((body) => body.instruction || body.quickAction, { message: "Give an instruction or a quick action." })
  .refine((body) => !(body.agent && body.agentId), { message: "Name the agent once: `agent` (name or id) or `agentId`, not both.", path: ["agent"] });

export const AiFeedbackBody = z.strictObject({ rating: z.enum(["up", "down"]) });
export const SuggestionDecisionBody = z.strictObject({ editedText: z.string().max(200_000).optional() });
export const QuickActionCreateBody = z.strictObject({
  name: z.string().trim().min(1).max(80),
  prompt: z.string().trim().min(1).max(4000),
  canvasKind: z.enum(["doc", "code", "any"]).default("any"),
  /** "user": only you; "workspace": everyone in the workspace (editors and owners may share). */
  scope: z.enum(["user", "workspace"]).default("user"),
  workspaceId: z.string().min(1).max(100),
});

export const agentPersonas = ["assistant", "writer", "critic", "editor", "coder", "analyst", "researcher", "custom"] as const;
const agentFields = {
  name: z.string().trim().min(1).max(40).regex(/^[\p{L}\p{N}][\p{L}\p{N} _-]*$/u, "letters, digits, spaces, - and _ (it is @mentioned by name)"),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "a colour like #1971c2"),
  persona: z.enum(agentPersonas),
  instructions: z.string().max(8000),
  model: z.string().min(3).max(300).nullable(),
  tools: z.array(z.enum(["edit", "comment", "handoff"])).max(3),
  maxTurns: z.number().int().min(1).max(50),
  maxTokens: z.number().int().min(500).max(2_000_000),
  maxSeconds: z.number().int().min(5).max(3600),
  /** The budget of a chain this agent starts (its run and every hand-off after it); null: the server's default. */
  chainMaxRuns: z.number().int().min(1).max(100).nullable(),
  chainMaxTokens: z.number().int().min(500).max(20_000_000).nullable(),
  chainMaxSeconds: z.number().int().min(5).max(86_400).nullable(),
};
export const AgentCreateBody = z.strictObject({
  ...agentFields,
  color: agentFields.color.default("#5f3dc4"),
  persona: agentFields.persona.default("custom"),
  instructions: agentFields.instructions.default(""),
  model: agentFields.model.default(null),
  tools: agentFields.tools.default(["edit", "comment"]),
  maxTurns: agentFields.maxTurns.default(8),
  maxTokens: agentFields.maxTokens.default(60_000),
  maxSeconds: agentFields.maxSeconds.default(180),
  chainMaxRuns: agentFields.chainMaxRuns.default(null),
  chainMaxTokens: agentFields.chainMaxTokens.default(null),
  chainMaxSeconds: agentFields.chainMaxSeconds.default(null),
});
export const AgentPatchBody = z.strictObject(agentFields).partial();
