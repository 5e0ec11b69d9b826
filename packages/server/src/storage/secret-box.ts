import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const prefix = "enc:v1:";
const keyFileName = "secret.key";

/** A sealed value could not be opened: the key file is missing or is another one. */
export class SecretUnreadableError extends Error {
  override name = "SecretUnreadableError";
}

/**
 * Encrypts secrets kept in the database (provider API keys) with AES-256-GCM under a key
 * that lives beside the database, in `<dataDir>/secret.key` (created `0600` on first
 * use). A copy of the database alone — a backup, a stolen file — does not reveal them.
 *
 * A sealed value is `enc:v1:<iv>:<tag>:<ciphertext>` (base64url); what it is for (e.g. the
 * setting's name) is bound to it as associated data, so a value cannot be moved to
 * another setting.
 */
export class SecretBox {
  readonly keyFile: string;
  private key: Buffer | undefined;

  constructor(dataDir: string) {
    this.keyFile = path.join(dataDir, keyFileName);
  }

  static isSealed(value: string): boolean {
    return value.startsWith(prefix);
  }

  seal(plain: string, purpose: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.keyForWriting(), iv);
    cipher.setAAD(Buffer.from(purpose));
    const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return `${prefix}${iv.toString("base64url")}:${cipher.getAuthTag().toString("base64url")}:${sealed.toString("base64url")}`;
  }

  /** Opens a sealed value; throws SecretUnreadableError (naming the key file) when it cannot. */
  open(value: string, purpose: string): string {
    const [iv, tag, sealed] = value.slice(prefix.length).split(":");
    const key = this.readKey();
    if (!key) throw new SecretUnreadableError(`${this.keyFile} is missing`);
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv ?? "", "base64url"));
      decipher.setAAD(Buffer.from(purpose));
      decipher.setAuthTag(Buffer.from(tag ?? "", "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(sealed ?? "", "base64url")), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretUnreadableError(`${this.keyFile} is not the key this value was saved with`);
    }
  }

  private readKey(): Buffer | null {
    if (this.key) return this.key;
    let text: string;
    try {
      text = fs.readFileSync(this.keyFile, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    const key = Buffer.from(text.trim(), "base64");
    if (key.length !== 32) throw new SecretUnreadableError(`${this.keyFile} does not hold a 32-byte key`);
    return (this.key = key);
  }

  /** The key, created on first use: written to a private temporary file, then linked into place, so two processes never see half a key or make two. */
  private keyForWriting(): Buffer {
    const existing = this.readKey();
    if (existing) return existing;
    fs.mkdirSync(path.dirname(this.keyFile), { recursive: true, mode: 0o700 });
    const temporary = `${this.keyFile}.${process.pid}.${randomBytes(4).toString("hex")}`;
    fs.writeFileSync(temporary, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    try {
      fs.linkSync(temporary, this.keyFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      fs.rmSync(temporary, { force: true });
    }
    return this.readKey()!;
  }
}
