/** What a canvas holds: rich text (`doc`) or a set of source files (`code`). */
export type CanvasKind = "doc" | "code";
