// Any new export added here becomes public API. Use named exports, not wildcards.
//
// This package runs in the browser as well as in Node: it must not import Node-only
// modules (a test checks).

export { richTextExtensions, richTextSchema } from "./rich-text/rich-text-extensions.ts";
export { nodeFromJsonLeniently } from "./rich-text/node-from-json.ts";
export { isSafeUrl } from "./rich-text/safe-url.ts";

export { markdownToDocJson } from "./markdown/markdown-to-doc.ts";
export { docJsonToMarkdown, proseMirrorToMarkdown } from "./markdown/doc-to-markdown.ts";

export {
  docFragmentName,
  readDocJson,
  readDocMarkdown,
  readDocNode,
  writeDocJson,
  writeDocMarkdown,
  writeDocNode,
} from "./doc-canvas/doc-canvas.ts";

export {
  addCodeFile,
  codeFilesName,
  findCodeFileByPath,
  listCodeFiles,
  removeCodeFile,
  renameCodeFile,
  setCodeFileLanguage,
  writeCodeFiles,
  type CodeFileInput,
  type CodeFileSnapshot,
} from "./code-canvas/code-files.ts";
export { languageForPath } from "./code-canvas/language-for-path.ts";

export type { CanvasKind } from "./versions/canvas-kind.ts";
export { canvasText } from "./versions/canvas-text.ts";
export { diffLines, type DiffLine } from "./versions/diff-lines.ts";
export { readableDiff, type ReadableDiffLine, type WordChange } from "./versions/word-diff.ts";
export { docFromState } from "./versions/doc-from-state.ts";
export { restoreCanvas } from "./versions/restore-canvas.ts";

export {
  aiAppliesDirectly,
  aiSettingsMapName,
  appendChatMessage,
  chatArrayName,
  chatOf,
  findChatMessage,
  readChat,
  readChatMessage,
  setAiAppliesDirectly,
  type ChatAuthor,
  type ChatMessage,
  type ChatMessageStatus,
} from "./chat/canvas-chat.ts";

export {
  suggestionDecisionOrigin,
  suggestionsMapName,
  type SuggestionAgent,
  type SuggestionDecider,
  type SuggestionSnapshot,
  type SuggestionStatus,
  type SuggestionTarget,
} from "./suggestions/suggestion-model.ts";
export type { AnchorSide } from "./suggestions/anchors.ts";
export type { SuggestionTextView } from "./suggestions/text-view.ts";
export { resolveSuggestionRange, suggestionTextView } from "./suggestions/target-view.ts";
export { beginSuggestion, type BeginSuggestionInput, type SuggestionWriter } from "./suggestions/begin-suggestion.ts";
export { markStaleSuggestions, readSuggestion, readSuggestions, type SuggestionFilter } from "./suggestions/read-suggestions.ts";
export {
  acceptAllSuggestions,
  acceptSuggestion,
  rejectAllSuggestions,
  rejectSuggestion,
  type AcceptOptions,
  type AcceptOutcome,
  type DecisionOptions,
  type RejectOutcome,
} from "./suggestions/decide-suggestions.ts";
export { observeSuggestions, observeSuggestionText, trackSuggestionDecisions } from "./suggestions/observe-suggestions.ts";
export { reviewableStatuses, selectionAnchors, suggestionsInProseMirror } from "./suggestions/editor-positions.ts";

export {
  commentsMapName,
  maxQuoteLength,
  type CommentActor,
  type CommentAuthor,
  type CommentMention,
  type CommentMessage,
  type CommentStatus,
  type CommentTarget,
  type CommentThreadSnapshot,
} from "./comments/comment-model.ts";
export {
  addCommentThread,
  addCommentThreadAt,
  commentMessageAuthor,
  deleteCommentMessage,
  editCommentMessage,
  linkSuggestionToThread,
  reopenThread,
  replyToThread,
  resolveThread,
  type AddCommentThreadAtInput,
  type AddCommentThreadInput,
  type AddedThread,
} from "./comments/comment-threads.ts";
export { commentThreadsInProseMirror, observeComments, readCommentThread, readCommentThreads, type CommentThreadFilter } from "./comments/read-comments.ts";

export { colorForUser } from "./people/person-color.ts";

export {
  addDataCell,
  cellKinds,
  dataCellSource,
  dataCellsName,
  isResultName,
  listDataCells,
  removeDataCell,
  renameDataCell,
  type CellKind,
  type DataCell,
} from "./data-canvas/data-cells.ts";
export { buildCellGraph, cellsToRerun, mentionedNames, type CellGraph, type CellInputs } from "./data-canvas/cell-graph.ts";
export { presenceUser, type PresenceUser } from "./people/presence-user.ts";
