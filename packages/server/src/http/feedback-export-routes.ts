import { exportFeedback, exportFilter, jsonLine } from "../feedback/preference-export.ts";
import type { Services } from "../services.ts";
import type { ApiRouter } from "./api-router.ts";

/** The preference-data export for admins: JSONL streamed a page at a time. */
export function addFeedbackExportRoutes(api: ApiRouter, services: Services) {
  const { storage, logger } = services;

  api.add(
    "get",
    "/api/admin/feedback/export",
    {
      summary: "Preference data as JSONL: SFT examples (accepted suggestions), preference pairs (edits, rejections) and ratings (thumbs), with provenance",
      auth: "admin",
      query: {
        workspaceId: "only this workspace",
        from: "decisions at or after this date (YYYY-MM-DD, UTC) or ISO timestamp",
        to: "decisions before this ISO timestamp, or up to the end of this date (YYYY-MM-DD)",
        model: "runs of this model (`model` or `provider:model`)",
        agent: "runs of this agent (name or id)",
      },
    },
    async (context) => {
      const filter = exportFilter({
        workspaceId: context.req.query("workspaceId"),
        from: context.req.query("from"),
        to: context.req.query("to"),
        model: context.req.query("model"),
        agent: context.req.query("agent"),
      });
      const records = exportFeedback(storage.feedback, filter);
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const next = await records.next();
            if (next.done) controller.close();
            else controller.enqueue(encoder.encode(jsonLine(next.value)));
          } catch (error) {
            logger.error({ err: error }, "feedback export failed");
            controller.error(error);
          }
        },
        async cancel() {
          await records.return(undefined);
        },
      });
      logger.info({ by: context.get("user")!.id, filter }, "feedback exported");
      return new Response(body, { headers: { "content-type": "application/x-ndjson; charset=utf-8", "content-disposition": 'attachment; filename="cocanvas-feedback.jsonl"' } });
    },
  );
}
