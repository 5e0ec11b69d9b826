import { colorForUser } from "@cocanvas/content";
import type { AgentMentionEvent, Comments } from "../comments/comments.ts";
import type { CoEditor } from "../ai/co-editor.ts";
import type { Logger } from "../logger.ts";
import type { Storage } from "../storage/storage.ts";
import type { AgentDirectory } from "./agent-directory.ts";


/**
 * `@Agent` in a person's comment asks that agent to act on the thread: it reads the
 * thread and the commented range, and answers with a reply (and, if the person may edit,
 * suggestions linked to the thread) — on that person's behalf and within their role.
 * When it may not act, it says why in the thread. Agents' own messages never notify
 * (see Comments), so agents cannot start each other this way.
 */
export function answerAgentMentions(deps: { comments: Comments; coEditor: CoEditor; agents: AgentDirectory; storage: Storage; logger: Logger }): () => void {
  const { comments, coEditor, agents, storage, logger } = deps;
  return comments.onAgentMention(async (event: AgentMentionEvent) => {
    const [canvas, user, agent] = await Promise.all([storage.getCanvas(event.canvasId), storage.getUserById(event.userId), agents.get(event.workspaceId, event.agentId)]);
    if (!canvas || !user || !agent) return;
    try {
      const thread = await comments.get(canvas.id, event.threadId);
      await coEditor.start({
        canvas,
        user: { id: user.id, name: user.name, color: colorForUser(user.id) },
        agent,
        instruction: `${event.text}\n\n(You were mentioned in comment thread ${thread.id}: answer there with \`reply\`; link any edit to the thread with \`threadId\`.)`,
        threadId: thread.id,
        ...(thread.from !== null && thread.to !== null ? { range: { from: thread.from, to: thread.to } } : {}),
        ...(thread.target.kind === "code" ? { path: thread.target.path } : {}),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      logger.info({ canvasId: canvas.id, agent: agent.name, reason }, "a mentioned agent could not act");
      await storage.agents.addActivity({ canvasId: canvas.id, runId: null, actor: agent.name, userId: user.id, action: "refused", detail: reason });
      await comments
        .reply(canvas.id, event.threadId, { kind: "agent", id: agent.id, name: agent.name, color: agent.color }, `I can't act on this: ${reason}`)
        .catch((replyError) => logger.warn({ err: replyError }, "could not explain a refused mention"));
    }
  });
}
