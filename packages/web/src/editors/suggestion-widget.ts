import { acceptSuggestion, observeSuggestionText, rejectSuggestion, suggestionDecisionOrigin, type SuggestionSnapshot } from "@cocanvas/content";
import type * as Y from "yjs";

/** What an editor does when a person clicks Accept or Reject on a suggestion. */
export interface SuggestionHandlers {
  onAccept(id: string): void;
  onReject(id: string): void;
}

const statusLabels: Partial<Record<SuggestionSnapshot["status"], string>> = {
  streaming: "writing…",
  stopped: "stopped",
  stale: "outdated",
};

/**
 * The inline widget of one suggestion: the agent's name in its colour, the new text
 * (kept live while the agent streams it), and Accept / Reject. A stale suggestion shows
 * greyed with Dismiss only. Returns the element and the function that stops observing.
 */
export function suggestionWidget(doc: Y.Doc, suggestion: SuggestionSnapshot, handlers: SuggestionHandlers): { dom: HTMLElement; destroy(): void } {
  const root = element("span", "suggestion");
  root.contentEditable = "false";
  root.dataset.testid = "suggestion";
  root.dataset.suggestionId = suggestion.id;
  root.dataset.status = suggestion.status;
  root.style.setProperty("--suggestion-color", suggestion.agent.color);

  const label = element("span", "suggestion-agent");
  label.textContent = statusLabels[suggestion.status] ? `${suggestion.agent.name} · ${statusLabels[suggestion.status]}` : suggestion.agent.name;
  const text = element("ins", "suggestion-text");
  text.textContent = suggestion.newText;
  const actions = element("span", "suggestion-actions");
  if (suggestion.status !== "stale") {
    const accept = button("✓", "Accept", "suggestion-accept", () => handlers.onAccept(suggestion.id));
    accept.disabled = suggestion.status === "streaming";
    actions.append(accept);
  }
  actions.append(button("✕", suggestion.status === "stale" ? "Dismiss" : "Reject", "suggestion-reject", () => handlers.onReject(suggestion.id)));
  root.append(label, text, actions);

  const stop = suggestion.status === "streaming" ? observeSuggestionText(doc, suggestion.id, (newText) => (text.textContent = newText)) : () => {};
  return { dom: root, destroy: stop };
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

function button(symbol: string, title: string, testId: string, onClick: () => void): HTMLButtonElement {
  const node = element("button", testId);
  node.type = "button";
  node.title = title;
  node.setAttribute("aria-label", title);
  node.dataset.testid = testId;
  node.textContent = `${symbol} ${title}`;
  // Keep the editor's selection and focus where they are.
  node.addEventListener("mousedown", (event) => event.preventDefault());
  node.addEventListener("click", (event) => {
    event.preventDefault();
    event.stopPropagation();
    onClick();
  });
  return node;
}

/**
 * Accepts or rejects as the signed-in person, as one undo step of the editor's
 * Y.UndoManager (which tracks `suggestionDecisionOrigin`): capturing stops before and
 * after, so the decision neither merges into typing nor typing into it.
 */
export function decideSuggestion(doc: Y.Doc, undoManager: Y.UndoManager | null, user: { id: string; name: string }, decision: "accept" | "reject", id: string): void {
  undoManager?.stopCapturing();
  const decidedBy = { id: user.id, name: user.name };
  if (decision === "accept") acceptSuggestion(doc, id, decidedBy, { origin: suggestionDecisionOrigin });
  else rejectSuggestion(doc, id, decidedBy, { origin: suggestionDecisionOrigin });
  undoManager?.stopCapturing();
}
