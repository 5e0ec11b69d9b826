import { suggestionTextView, trackSuggestionDecisions } from "@cocanvas/content";
import { Compartment, EditorState } from "@codemirror/state";
import type { HocuspocusProvider } from "@hocuspocus/provider";
import { EditorView } from "@codemirror/view";
import { useEffect, useRef } from "react";
import { yCollab } from "y-codemirror.next";
import * as Y from "yjs";
import type { AiTarget } from "../../ai/ai-panel.tsx";
import { commentHighlights } from "../../comments/code-comment-highlights.ts";
import type { PresenceUser } from "../../sync/user-presence.ts";
import { base64 } from "../../ui/base64.ts";
import { decideSuggestion } from "../suggestion-widget.ts";
import { collaborativeSetup } from "./collaborative-setup.ts";
import { languageExtension } from "./language-support.ts";
import { suggestionDecorations } from "./suggestion-decorations.ts";

interface CodeEditorProps {
  path: string;
  text: Y.Text;
  language: string;
  provider: HocuspocusProvider;
  user: PresenceUser;
  editable: boolean;
  onAiTarget?(read: () => AiTarget): void;
}

// Remote cursors always show their owner's name (y-codemirror.next shows it only on hover).
const cursorLabels = EditorView.theme({
  ".cm-ySelectionInfo": { opacity: "1", top: "-1.15em", fontFamily: "inherit", fontSize: "11px", padding: "1px 4px", borderRadius: "3px 3px 3px 0" },
});

/** CodeMirror 6 bound to one file's Y.Text, with remote cursors from awareness. */
export function CodeEditor({ path, text, language, provider, user, editable, onAiTarget }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const languageSlot = useRef(new Compartment());
  const editableSlot = useRef(new Compartment());
  const userRef = useRef(user);
  userRef.current = user;

  useEffect(() => {
    if (!host.current || !provider.awareness) return;
    const undoManager = new Y.UndoManager(text);
    // Accepting or rejecting a suggestion is one Ctrl+Z step too.
    trackSuggestionDecisions(undoManager, provider.document);
    const decide = (decision: "accept" | "reject") => (id: string) => decideSuggestion(provider.document, undoManager, userRef.current, decision, id);
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: text.toString(),
        extensions: [
          collaborativeSetup,
          cursorLabels,
          languageSlot.current.of(languageExtension(language)),
          editableSlot.current.of(editableExtensions(editable)),
          yCollab(text, provider.awareness, { undoManager }),
          suggestionDecorations(provider.document, text, { onAccept: decide("accept"), onReject: decide("reject") }),
          commentHighlights(provider.document, text),
        ],
      }),
    });
    viewRef.current = view;
    return () => {
      view.destroy();
      undoManager.destroy();
      viewRef.current = null;
    };
    // Language and editability are reconfigured below without rebuilding the view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text, provider]);

  useEffect(() => {
    viewRef.current?.dispatch({ effects: languageSlot.current.reconfigure(languageExtension(language)) });
  }, [language]);

  useEffect(() => {
    onAiTarget?.(() => {
      const selection = viewRef.current?.state.selection.main;
      if (!selection || selection.empty) return { path, label: path };
      const view = suggestionTextView(provider.document, { kind: "code", path });
      return {
        path,
        selection: { path, from: base64(view.anchor(selection.from, "start")), to: base64(view.anchor(selection.to, "end")) },
        label: `${selection.to - selection.from} selected characters of ${path}`,
      };
    });
  }, [onAiTarget, path, provider]);

  useEffect(() => {
    viewRef.current?.dispatch({ effects: editableSlot.current.reconfigure(editableExtensions(editable)) });
  }, [editable]);

  return <div ref={host} className="code-editor" data-testid="code-editor" data-editable={editable} />;
}

function editableExtensions(editable: boolean) {
  return [EditorState.readOnly.of(!editable), EditorView.editable.of(editable)];
}
