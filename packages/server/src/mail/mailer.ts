import { createTransport, type Transporter } from "nodemailer";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";

/** One email: plain text always, HTML when the sender has a richer form. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * Sends email through the SMTP server in `COCANVAS_SMTP_URL`. With none configured,
 * `configured` is false and `send` refuses: callers say in the app that email is off
 * (for example "ask your admin to reset your password") instead of pretending to send.
 */
export class Mailer {
  readonly configured: boolean;
  readonly #transport: Transporter | null;
  readonly #from: string;
  readonly #logger: Logger;

  constructor(config: Pick<Config, "smtpUrl" | "mailFrom">, logger: Logger) {
    this.configured = config.smtpUrl !== "";
    this.#transport = this.configured ? createTransport(config.smtpUrl) : null;
    this.#from = config.mailFrom;
    this.#logger = logger;
  }

  /** Sends one email; rejects when email is off or the SMTP server refuses (the error never carries the SMTP credentials). */
  async send(mail: Mail): Promise<void> {
    if (!this.#transport) throw new Error("email is not configured (set COCANVAS_SMTP_URL)");
    try {
      await this.#transport.sendMail({ from: this.#from, ...mail });
    } catch (error) {
      this.#logger.warn({ to: mail.to, subject: mail.subject, reason: (error as Error).message }, "email could not be sent");
      throw new Error(`email could not be sent: ${(error as Error).message.replace(/\/\/[^@\s]*@/g, "//")}`);
    }
  }

  close(): void {
    this.#transport?.close();
  }
}
