import { readableDiff, type ReadableDiffLine } from "@cocanvas/content";
import type { ReactNode } from "react";
import type { DiffLine } from "./use-versions.ts";

/**
 * A line of Markdown drawn the way it reads: a heading as a heading, a list item with its
 * bullet, a paragraph as a paragraph. Inline Markdown stays as typed.
 */
function Block({ text, className, children, testId }: { text: string; className: string; children: ReactNode; testId: string }) {
  const heading = /^(#{1,6})\s/.exec(text);
  if (heading) {
    const level = Math.min(heading[1]!.length + 1, 6);
    const Heading = `h${level}` as "h2";
    return <Heading className={`diff-block ${className}`} data-testid={testId}>{children}</Heading>;
  }
  const list = /^\s*([-*+]|\d+\.)\s/.test(text);
  return <div className={`diff-block ${className}${list ? " diff-list-item" : ""}${text.trim() === "" ? " diff-blank" : ""}`} data-testid={testId}>{children}</div>;
}

/** The visible text of a Markdown line: without its heading marks. */
const shown = (text: string) => text.replace(/^#{1,6}\s/, "");

function Line({ line }: { line: ReadableDiffLine }) {
  if (line.type !== "change") {
    const Mark = line.type === "add" ? "ins" : line.type === "remove" ? "del" : "span";
    return (
      <Block text={line.text} className={`diff-${line.type}`} testId={`diff-line-${line.type}`}>
        <Mark>{shown(line.text) || " "}</Mark>
      </Block>
    );
  }
  let headingMarks = /^#{1,6}\s/.exec(line.text)?.[0].length ?? 0;
  return (
    <Block text={line.text} className="diff-change" testId="diff-line-change">
      {line.words.map((word, index) => {
        // The heading's own marks are not shown, in whichever words they fall.
        let text = word.text;
        if (headingMarks > 0 && word.type !== "add") {
          const cut = Math.min(headingMarks, text.length);
          text = text.slice(cut);
          headingMarks -= cut;
        }
        if (!text) return null;
        return word.type === "add" ? <ins key={index} data-testid="diff-word-add">{text}</ins> : word.type === "remove" ? <del key={index} data-testid="diff-word-remove">{text}</del> : <span key={index}>{text}</span>;
      })}
    </Block>
  );
}

/** A diff people can read: the document as it reads, with inserted words and lines in green and deleted ones struck in red. */
export function DiffView({ lines, fromLabel, toLabel }: { lines: DiffLine[]; fromLabel: string; toLabel: string }) {
  const readable = readableDiff(lines);
  const changed = readable.some((line) => line.type !== "same");
  return (
    <div className="diff-view" data-testid="diff-view">
      <p className="small">
        From <strong>{fromLabel}</strong> to <strong>{toLabel}</strong>
      </p>
      {!changed && <p className="muted small" data-testid="diff-empty">No differences.</p>}
      <div className="diff-document">
        {readable.map((line, index) => <Line key={index} line={line} />)}
      </div>
    </div>
  );
}

/** One version's text, drawn like the diff but with nothing marked. */
export function VersionPreview({ text }: { text: string }) {
  return (
    <div className="diff-view" data-testid="version-preview">
      <div className="diff-document">
        {text.replace(/\n$/, "").split("\n").map((line, index) => <Line key={index} line={{ type: "same", text: line }} />)}
      </div>
    </div>
  );
}
