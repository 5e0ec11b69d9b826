/**
 * Reading and writing the frames of the live channel: every Hocuspocus frame starts with
 * the document name (a lib0 var-string) and the message type (a var-uint).
 */

/** Hocuspocus message types, the second field of every frame. */
export const MessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3, stateless: 5, close: 7, syncStatus: 8 } as const;

/** The sub-type of an `auth` frame. */
export const AuthMessageType = { token: 0, permissionDenied: 1, authenticated: 2 } as const;

/** Message types a client may send (Sync, Awareness, Auth, QueryAwareness, Stateless, Close, SyncStatus). */
export const clientMessageTypes: ReadonlySet<number> = new Set(Object.values(MessageType));

const utf8 = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

/** Reads lib0-encoded fields in order; every read throws `RangeError` past the end. */
export class FrameReader {
  constructor(
    private readonly data: Uint8Array,
    public offset = 0,
  ) {}

  get done(): boolean {
    return this.offset >= this.data.length;
  }

  varUint(): number {
    let value = 0;
    for (let shift = 0; shift < 53; shift += 7) {
      if (this.offset >= this.data.length) throw new RangeError("truncated frame");
      const byte = this.data[this.offset++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    throw new RangeError("integer too long");
  }

  bytes(): Uint8Array {
    const length = this.varUint();
    if (this.offset + length > this.data.length) throw new RangeError("truncated frame");
    const bytes = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return bytes;
  }

  string(): string {
    return utf8.decode(this.bytes());
  }
}

/** Writes lib0-encoded fields. */
export class FrameWriter {
  private readonly chunks: number[] = [];
  private readonly parts: Uint8Array[] = [];

  varUint(value: number): this {
    while (value > 0x7f) {
      this.chunks.push(0x80 | (value % 0x80));
      value = Math.floor(value / 0x80);
    }
    this.chunks.push(value);
    return this;
  }

  bytes(bytes: Uint8Array): this {
    this.varUint(bytes.length);
    this.flush();
    this.parts.push(bytes);
    return this;
  }

  string(text: string): this {
    return this.bytes(utf8Encoder.encode(text));
  }

  toBytes(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }

  private flush() {
    if (this.chunks.length) this.parts.push(Uint8Array.from(this.chunks.splice(0)));
  }
}

/** The document name and message type of a frame (the reader is left after them), or null if it does not decode. */
export function frameHeader(data: Uint8Array): { documentName: string; type: number; reader: FrameReader } | null {
  try {
    const reader = new FrameReader(data);
    const documentName = reader.string();
    const type = reader.varUint();
    return { documentName, type, reader };
  } catch {
    return null;
  }
}

/**
 * The message type of a frame, or null if it is too short to have one. Runs on every frame
 * out, so it skips the name's bytes instead of decoding them.
 */
export function messageType(data: Uint8Array): number | null {
  try {
    const reader = new FrameReader(data);
    const nameLength = reader.varUint();
    reader.offset += nameLength;
    return reader.varUint();
  } catch {
    return null;
  }
}
