/**
 * Reads a tool call's JSON arguments while they stream in, so that the text of an edit
 * can reach the document token by token instead of after the whole call has arrived.
 * Handles one flat object: string fields are decoded as they grow and marked complete
 * when their closing quote arrives; other values are kept raw. Work per delta is
 * proportional to the delta, not to everything received so far.
 */
export interface StreamingField {
  value: string;
  complete: boolean;
}

type State = "start" | "beforeKey" | "key" | "afterKey" | "beforeValue" | "string" | "raw" | "afterValue" | "end";

const escapes: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

export class StreamingToolInput {
  readonly fields = new Map<string, StreamingField>();
  private state: State = "start";
  private key = "";
  private current: StreamingField | null = null;
  private escape: string | null = null;
  private rawDepth = 0;
  private rawInString = false;
  private rawEscape = false;

  /** Feeds the next piece of the arguments' JSON text. Malformed input is ignored here; the final call is validated separately. */
  push(delta: string): void {
    for (const char of delta) this.step(char);
  }

  field(name: string): StreamingField | undefined {
    return this.fields.get(name);
  }

  private step(char: string): void {
    switch (this.state) {
      case "start":
        if (char === "{") this.state = "beforeKey";
        return;
      case "beforeKey":
        if (char === '"') {
          this.key = "";
          this.state = "key";
        } else if (char === "}") this.state = "end";
        return;
      case "key":
        if (this.escape !== null) {
          this.key += escapes[char] ?? char;
          this.escape = null;
        } else if (char === "\\") this.escape = "";
        else if (char === '"') this.state = "afterKey";
        else this.key += char;
        return;
      case "afterKey":
        if (char === ":") this.state = "beforeValue";
        return;
      case "beforeValue":
        if (/\s/.test(char)) return;
        this.current = { value: "", complete: false };
        this.fields.set(this.key, this.current);
        if (char === '"') {
          this.state = "string";
        } else {
          this.state = "raw";
          this.rawDepth = 0;
          this.rawInString = false;
          this.stepRaw(char);
        }
        return;
      case "string":
        this.stepString(char);
        return;
      case "raw":
        this.stepRaw(char);
        return;
      case "afterValue":
        if (char === ",") this.state = "beforeKey";
        else if (char === "}") this.state = "end";
        return;
      case "end":
        return;
    }
  }

  private stepString(char: string): void {
    const field = this.current!;
    if (this.escape !== null) {
      if (this.escape.startsWith("u")) {
        this.escape += char;
        if (this.escape.length === 5) {
          field.value += String.fromCharCode(Number.parseInt(this.escape.slice(1), 16));
          this.escape = null;
        }
        return;
      }
      if (char === "u") {
        this.escape = "u";
        return;
      }
      field.value += escapes[char] ?? char;
      this.escape = null;
      return;
    }
    if (char === "\\") this.escape = "";
    else if (char === '"') {
      field.complete = true;
      this.state = "afterValue";
    } else field.value += char;
  }

  private stepRaw(char: string): void {
    const field = this.current!;
    if (this.rawInString) {
      field.value += char;
      if (this.rawEscape) this.rawEscape = false;
      else if (char === "\\") this.rawEscape = true;
      else if (char === '"') this.rawInString = false;
      return;
    }
    if (this.rawDepth === 0 && (char === "," || char === "}")) {
      field.value = field.value.trim();
      field.complete = true;
      this.state = char === "," ? "beforeKey" : "end";
      return;
    }
    if (char === '"') this.rawInString = true;
    else if (char === "{" || char === "[") this.rawDepth++;
    else if (char === "}" || char === "]") this.rawDepth--;
    field.value += char;
  }
}
