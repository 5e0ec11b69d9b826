import type { JSONContent } from "@tiptap/core";
import type { Mark, Node as ProseMirrorNode, Schema } from "@tiptap/pm/model";

/**
 * Builds a ProseMirror node from JSON without throwing: unknown marks are dropped,
 * unknown nodes are replaced by their children, and a node whose content does not fit
 * the schema is repaired where ProseMirror can fill the gaps, and dropped otherwise.
 *
 * Documents that come from other clients over Yjs are not guaranteed to be valid, and
 * reading one (for an export or a version diff) must not fail.
 */
export function nodeFromJsonLeniently(schema: Schema, json: JSONContent): ProseMirrorNode {
  const nodes = convertNode(schema, json);
  const topNode = nodes.length === 1 && nodes[0]!.type === schema.topNodeType ? nodes[0]! : null;
  return topNode ?? fitContent(schema, schema.topNodeType.name, null, nodes) ?? schema.topNodeType.createAndFill()!;
}

function convertNode(schema: Schema, json: JSONContent | undefined): ProseMirrorNode[] {
  if (!json || typeof json !== "object") return [];
  if (json.type === "text") {
    if (typeof json.text !== "string" || json.text === "") return [];
    return [schema.text(json.text, convertMarks(schema, json.marks))];
  }
  const children = (Array.isArray(json.content) ? json.content : []).flatMap((child) => convertNode(schema, child));
  const type = typeof json.type === "string" ? schema.nodes[json.type] : undefined;
  if (!type) return children;
  const node = fitContent(schema, type.name, json.attrs ?? null, children, convertMarks(schema, json.marks));
  return node ? [node] : children;
}

/**
 * Creates a node of the named type, first as given, then letting ProseMirror fill in
 * missing content, then wrapping stray inline content in paragraphs, then keeping only
 * the children that fit.
 */
function fitContent(schema: Schema, typeName: string, attrs: JSONContent["attrs"] | null, children: ProseMirrorNode[], marks: readonly Mark[] = []): ProseMirrorNode | null {
  const type = schema.nodes[typeName]!;
  const attempts = [
    () => type.createChecked(attrs, children, marks),
    () => type.createAndFill(attrs, children, marks),
    () => type.createAndFill(attrs, wrapInlineRuns(schema, children), marks),
    () => type.createAndFill(attrs, children.filter((child) => type.contentMatch.matchType(child.type) !== null), marks),
    () => type.createAndFill(attrs, [], marks),
  ];
  for (const attempt of attempts) {
    try {
      const node = attempt();
      if (node) return node;
    } catch {
      // An attribute or mark the schema refuses: try the next, more forgiving way.
    }
  }
  return null;
}

/** Wraps each run of consecutive inline nodes in a paragraph. */
function wrapInlineRuns(schema: Schema, children: ProseMirrorNode[]): ProseMirrorNode[] {
  const paragraph = schema.nodes.paragraph;
  if (!paragraph) return children;
  const output: ProseMirrorNode[] = [];
  let run: ProseMirrorNode[] = [];
  const flush = () => {
    if (run.length > 0) output.push(paragraph.create(null, run));
    run = [];
  };
  for (const child of children) {
    if (child.isInline) run.push(child);
    else {
      flush();
      output.push(child);
    }
  }
  flush();
  return output;
}

function convertMarks(schema: Schema, marks: JSONContent["marks"]): Mark[] {
  if (!Array.isArray(marks)) return [];
  let set: readonly Mark[] = [];
  for (const mark of marks) {
    const type = typeof mark?.type === "string" ? schema.marks[mark.type] : undefined;
    if (!type) continue;
    try {
      set = type.create(mark.attrs ?? null).addToSet(set);
    } catch {
      // Attributes the mark refuses: leave the mark out.
    }
  }
  return [...set];
}
