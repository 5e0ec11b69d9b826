import type { CommentMention } from "@cocanvas/content";

/** Finds an agent of a workspace by its name (case-insensitive); the agents runtime provides it. */
export interface CommentAgentDirectory {
  findByName(workspaceId: string, name: string): Promise<{ id: string; name: string } | null>;
}

/** A person who can be mentioned: a member of the canvas's workspace. */
export interface MentionablePerson {
  userId: string;
  name: string;
  email: string;
}

/** At most this many `@` tokens of one message are looked up. */
const maxMentionTokens = 20;
/** A name is at most this many words ("@Ada King Lovelace"). */
const maxNameWords = 4;

// An `@` at the start or after something that is not part of a word or an email address.
const mentionStart = /(?<![\p{L}\p{N}_.@+-])@(?=[\p{L}\p{N}_])/gu;
const nameWords = new RegExp(`^[\\p{L}\\p{N}_'.-]+(?:[ \\t][\\p{L}\\p{N}_'.-]+){0,${maxNameWords - 1}}`, "u");
const trailingPunctuation = /[.'-]+$/u;

/**
 * The people and agents a message names with `@Name`, in the order they appear, each once.
 *
 * After an `@`, the longest run of up to four words that names someone wins ("@Ada
 * Lovelace, please" finds Ada Lovelace, not a member called Ada, when both exist);
 * trailing punctuation is ignored ("@Ada." is Ada). For each candidate, in order: a member
 * whose display name matches (case-insensitive; the first such member if two share a
 * name), an agent the directory finds by that name, a member whose email address starts
 * with it followed by "@" (a one-word candidate such as "@ada" for ada@example.com).
 * Unknown names are left as plain text.
 *
 * @example
 * ```ts
 * await parseMentions("@ada and @Critic, have a look", { people, agents, workspaceId });
 * // [{ kind: "person", id: "u1", name: "Ada Lovelace" }, { kind: "agent", id: "builtin:critic", name: "Critic" }]
 * ```
 */
export async function parseMentions(
  text: string,
  options: { people: readonly MentionablePerson[]; agents?: CommentAgentDirectory | null; workspaceId: string },
): Promise<CommentMention[]> {
  const byName = new Map<string, MentionablePerson>();
  const byEmail = new Map<string, MentionablePerson>();
  for (const person of options.people) {
    const name = person.name.trim().toLowerCase();
    if (name && !byName.has(name)) byName.set(name, person);
    const local = person.email.split("@")[0]?.toLowerCase();
    if (local && !byEmail.has(local)) byEmail.set(local, person);
  }
  const agentCache = new Map<string, { id: string; name: string } | null>();
  const findAgent = async (name: string) => {
    if (!options.agents) return null;
    const key = name.toLowerCase();
    if (!agentCache.has(key)) agentCache.set(key, await options.agents.findByName(options.workspaceId, name));
    return agentCache.get(key)!;
  };

  const found: CommentMention[] = [];
  const seen = new Set<string>();
  const add = (mention: CommentMention) => {
    const key = `${mention.kind}:${mention.id}`;
    if (!seen.has(key)) {
      seen.add(key);
      found.push(mention);
    }
  };

  let tokens = 0;
  for (const match of text.matchAll(mentionStart)) {
    if (++tokens > maxMentionTokens) break;
    const words = nameWords.exec(text.slice(match.index + 1, match.index + 1 + 200))?.[0].split(/[ \t]/) ?? [];
    for (let count = words.length; count > 0; count--) {
      const mention = await resolveCandidate(words.slice(0, count).join(" "), count === 1);
      if (mention) {
        add(mention);
        break;
      }
    }
  }
  return found;

  async function resolveCandidate(raw: string, oneWord: boolean): Promise<CommentMention | null> {
    const candidates = [raw, raw.replace(trailingPunctuation, "")].filter((candidate, index, all) => candidate !== "" && all.indexOf(candidate) === index);
    for (const candidate of candidates) {
      const person = byName.get(candidate.toLowerCase());
      if (person) return { kind: "person", id: person.userId, name: person.name };
      const agent = await findAgent(candidate);
      if (agent) return { kind: "agent", id: agent.id, name: agent.name };
      const byAddress = oneWord ? byEmail.get(candidate.toLowerCase()) : undefined;
      if (byAddress) return { kind: "person", id: byAddress.userId, name: byAddress.name };
    }
    return null;
  }
}
