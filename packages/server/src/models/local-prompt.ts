import type { LanguageModelV3Prompt, LanguageModelV3ToolResultOutput, SharedV3Warning } from "@ai-sdk/provider";
import type { ChatHistoryItem } from "node-llama-cpp";

/**
 * Turns an AI SDK prompt into node-llama-cpp chat history. Tool calls the model made are
 * written back in the form the engine asks for (`{"tool": ..., "input": ...}`), and tool
 * results become a user message, so any chat template can carry them. Images and other
 * binary files cannot be shown to the model: they are left out with a warning.
 */
export function toChatHistory(prompt: LanguageModelV3Prompt, extraSystem: string): { history: ChatHistoryItem[]; warnings: SharedV3Warning[] } {
  const warnings: SharedV3Warning[] = [];
  const history: ChatHistoryItem[] = [];
  const push = (item: ChatHistoryItem) => {
    const last = history.at(-1);
    if (last && last.type === item.type && item.type !== "model" && last.type !== "model") {
      (last as { text: string }).text = `${last.text as string}\n\n${(item as { text: string }).text}`;
    } else if (last?.type === "model" && item.type === "model") last.response.push(...item.response);
    else history.push(item);
  };

  for (const message of prompt) {
    switch (message.role) {
      case "system":
        push({ type: "system", text: message.content });
        break;
      case "user": {
        const texts: string[] = [];
        for (const part of message.content) {
          if (part.type === "text") texts.push(part.text);
          else if (part.mediaType.startsWith("text/") && typeof part.data === "string" && !/^[a-z]+:\/\//i.test(part.data)) {
            texts.push(Buffer.from(part.data, "base64").toString("utf8"));
          } else if (part.mediaType.startsWith("text/") && part.data instanceof Uint8Array) texts.push(Buffer.from(part.data).toString("utf8"));
          else warnings.push({ type: "unsupported", feature: `file input (${part.mediaType})`, details: "The local engine reads text only; the file was left out." });
        }
        push({ type: "user", text: texts.join("\n") });
        break;
      }
      case "assistant": {
        const response: string[] = [];
        for (const part of message.content) {
          if (part.type === "text") response.push(part.text);
          else if (part.type === "tool-call") response.push(JSON.stringify({ tool: part.toolName, input: part.input }));
          else if (part.type === "tool-result") response.push(`Result of ${part.toolName}: ${toolOutputText(part.output)}`);
        }
        push({ type: "model", response: [response.join("\n")] });
        break;
      }
      case "tool": {
        const texts = message.content.flatMap((part) => (part.type === "tool-result" ? [`Result of ${part.toolName}: ${toolOutputText(part.output)}`] : []));
        if (texts.length) push({ type: "user", text: texts.join("\n") });
        break;
      }
    }
  }

  if (extraSystem) {
    const system = history.find((item) => item.type === "system");
    if (system) system.text = `${system.text as string}\n\n${extraSystem}`;
    else history.unshift({ type: "system", text: extraSystem });
  }
  return { history, warnings };
}

function toolOutputText(output: LanguageModelV3ToolResultOutput): string {
  switch (output.type) {
    case "text":
    case "error-text":
      return output.value;
    case "json":
    case "error-json":
      return JSON.stringify(output.value);
    case "execution-denied":
      return `not run (${output.reason ?? "denied"})`;
    case "content":
      return output.value.map((part) => (part.type === "text" ? part.text : `[${part.type}]`)).join("\n");
  }
}
