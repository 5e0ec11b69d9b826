/**
 * Writes text the way an editor does: into `content` (Y.XmlFragment, TipTap's layout),
 * as paragraphs (`paragraph` elements holding a Y.XmlText), each change one transaction.
 */
import * as Y from "yjs";

const letters = "abcdefghijklmnopqrstuvwxyz     ";

export function randomText(length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) text += letters[Math.floor(Math.random() * letters.length)];
  return text;
}

/** Live character count of a doc canvas (all paragraph texts). */
export function contentLength(doc: Y.Doc): number {
  let length = 0;
  for (const node of doc.getXmlFragment("content").toArray()) {
    if (node instanceof Y.XmlElement) {
      for (const child of node.toArray()) if (child instanceof Y.XmlText) length += child.length;
    }
  }
  return length;
}

export class TextWriter {
  private paragraph: Y.XmlText | null = null;
  private paragraphBudget = 0;

  constructor(
    private readonly doc: Y.Doc,
    readonly origin: object,
    private readonly paragraphChars: [number, number],
  ) {}

  private newParagraph() {
    const element = new Y.XmlElement("paragraph");
    const text = new Y.XmlText();
    element.insert(0, [text]);
    const fragment = this.doc.getXmlFragment("content");
    fragment.insert(fragment.length, [element]);
    this.paragraph = text;
    const [min, max] = this.paragraphChars;
    this.paragraphBudget = min + Math.floor(Math.random() * (max - min));
  }

  /** Appends `chars` characters at the end of the current paragraph (opening one when full). */
  append(chars: number): number {
    this.doc.transact(() => {
      if (!this.paragraph || this.paragraphBudget <= 0) this.newParagraph();
      const text = this.paragraph!;
      text.insert(text.length, randomText(chars));
      this.paragraphBudget -= chars;
    }, this.origin);
    return chars;
  }

  /**
   * An edit like real writing: mostly appending, sometimes inserting mid-paragraph or
   * deleting a few characters (`deletes`: a deletion makes no new struct, so the load
   * phase, which matches updates by clock, leaves them out). Returns the change in length.
   */
  edit(chars: number, deletes = false): number {
    const roll = Math.random();
    const text = this.paragraph;
    if (!text || text.length < 20 || roll < 0.85) return this.append(chars);
    if (roll < 0.95 || !deletes) {
      this.doc.transact(() => text.insert(Math.floor(Math.random() * text.length), randomText(chars)), this.origin);
      return chars;
    }
    const length = 1 + Math.floor(Math.random() * 4);
    this.doc.transact(() => text.delete(Math.floor(Math.random() * (text.length - 5)), length), this.origin);
    return -length;
  }
}
