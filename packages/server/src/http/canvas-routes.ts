import { ApiError, CanvasPatchBody, VersionCreateBody } from "@cocanvas/protocol";
import { exportCanvas } from "../canvases/canvas-content.ts";
import { detectImageType } from "../canvases/images.ts";
import { newId } from "../ids.ts";
import type { Services } from "../services.ts";
import type { ApiContext, ApiRouter } from "./api-router.ts";
import { canvasJson } from "./workspace-routes.ts";

export function addCanvasRoutes(api: ApiRouter, services: Services) {
  const { storage, access, documents, versions, config, events } = services;
  const userId = (context: ApiContext) => context.get("user")!.id;
  const canvasFor = (context: ApiContext, needed: "owner" | "editor" | "commenter" | "viewer") =>
    access.requireCanvas(userId(context), context.req.param("id")!, needed);

  api.add("get", "/api/canvases/{id}", { summary: "A canvas, with your role on it", role: "viewer" }, async (context) => {
    const { canvas, role } = await canvasFor(context, "viewer");
    return context.json(canvasJson(canvas, role));
  });

  api.add("patch", "/api/canvases/{id}", { summary: "Rename a canvas", role: "editor", body: CanvasPatchBody }, async (context, body) => {
    const { canvas, role } = await canvasFor(context, "editor");
    await storage.updateCanvas(canvas.id, { title: body.title });
    events.workspaceChanged(canvas.workspaceId, "canvases");
    return context.json(canvasJson((await storage.getCanvas(canvas.id))!, role));
  });

  api.add(
    "delete",
    "/api/canvases/{id}",
    { summary: "Move a canvas to the trash, or delete it for good from the trash", role: "editor", query: { permanent: "true to delete from the trash for good (owner)" }, success: 204 },
    async (context) => {
      const permanent = context.req.query("permanent") === "true";
      const { canvas } = await canvasFor(context, permanent ? "owner" : "editor");
      if (permanent) {
        if (!canvas.deletedAt) throw new ApiError("conflict", "Move the canvas to the trash first.");
        await storage.deleteCanvasForever(canvas.id);
      } else if (!canvas.deletedAt) {
        await storage.updateCanvas(canvas.id, { deletedAt: new Date().toISOString() });
      }
      // After the change, so that clients reconnecting at once find no canvas.
      services.closeConnections(canvas.id);
      events.workspaceChanged(canvas.workspaceId, "trash");
      return context.body(null, 204);
    },
  );

  api.add("post", "/api/canvases/{id}/restore", { summary: "Restore a canvas from the trash", role: "editor" }, async (context) => {
    const { canvas, role } = await canvasFor(context, "editor");
    await storage.updateCanvas(canvas.id, { deletedAt: null });
    events.workspaceChanged(canvas.workspaceId, "trash");
    return context.json(canvasJson((await storage.getCanvas(canvas.id))!, role));
  });

  api.add(
    "get",
    "/api/canvases/{id}/export",
    { summary: "Export a canvas: Markdown (doc), JSON files or one file as text (code)", role: "viewer", query: { format: "md | json | text", file: "path of the file (format=text)" } },
    async (context) => {
      const { canvas } = await canvasFor(context, "viewer");
      const format = context.req.query("format") ?? (canvas.kind === "doc" ? "md" : "json");
      const exported = exportCanvas(canvas, documents.currentState(canvas.id), format, context.req.query("file"));
      context.header("Content-Type", exported.type);
      context.header("Content-Disposition", `attachment; filename="${encodeURIComponent(exported.filename)}"`);
      return context.body(exported.body);
    },
  );

  api.add("get", "/api/canvases/{id}/versions", { summary: "Versions of a canvas, newest first", role: "viewer" }, async (context) => {
    const { canvas } = await canvasFor(context, "viewer");
    return context.json({ items: await storage.listVersions(canvas.id) });
  });

  api.add("post", "/api/canvases/{id}/versions", { summary: "Save a named version", role: "editor", body: VersionCreateBody, success: 201 }, async (context, body) => {
    const { canvas } = await canvasFor(context, "editor");
    return context.json(await versions.create(canvas, { name: body.name, kind: "named", createdBy: userId(context) }), 201);
  });

  api.add("get", "/api/canvases/{id}/versions/{versionId}", { summary: "A version and its content as text", role: "viewer" }, async (context) => {
    const { canvas } = await canvasFor(context, "viewer");
    const version = await storage.getVersion(canvas.id, context.req.param("versionId")!);
    if (!version) throw new ApiError("not_found", "No such version.");
    const { state: _, ...fields } = version;
    return context.json({ version: fields, text: await versions.text(canvas, version.id) });
  });

  api.add(
    "get",
    "/api/canvases/{id}/diff",
    { summary: "Line diff between two versions (or `current`)", role: "viewer", query: { from: "version id or current", to: "version id or current" } },
    async (context) => {
      const { canvas } = await canvasFor(context, "viewer");
      const from = context.req.query("from");
      const to = context.req.query("to") ?? "current";
      if (!from) throw new ApiError("invalid_request", "Name the versions to compare: ?from=<id|current>&to=<id|current>.");
      return context.json({ from, to, lines: await versions.diff(canvas, from, to) });
    },
  );

  api.add(
    "post",
    "/api/canvases/{id}/versions/{versionId}/restore",
    { summary: "Restore a version as a new change everyone sees", role: "editor", success: 201 },
    async (context) => {
      const { canvas } = await canvasFor(context, "editor");
      return context.json(await versions.restore(canvas, context.req.param("versionId")!, userId(context)), 201);
    },
  );

  api.add("post", "/api/canvases/{id}/uploads", { summary: "Upload an image (multipart field `file`)", role: "editor", success: 201 }, async (context) => {
    const { canvas } = await canvasFor(context, "editor");
    let form: FormData;
    try {
      form = await context.req.raw.formData();
    } catch {
      throw new ApiError("invalid_request", "Send the image as multipart/form-data with a field named `file`.");
    }
    const file = form.get("file");
    if (!(file instanceof File)) throw new ApiError("invalid_request", "Send the image as multipart/form-data with a field named `file`.");
    if (file.size > config.maxUploadBytes) throw new ApiError("payload_too_large", `Images are limited to ${config.maxUploadBytes} bytes.`);
    const data = Buffer.from(await file.arrayBuffer());
    const mime = detectImageType(data);
    if (!mime) throw new ApiError("unsupported_media_type", "Only PNG, JPEG, GIF and WebP images can be uploaded.");
    const id = newId();
    await storage.addUpload(canvas.id, { id, mime, size: data.length, data, createdBy: userId(context) });
    return context.json({ id, url: `/api/uploads/${id}` }, 201);
  });

  api.add("get", "/api/uploads/{id}", { summary: "An uploaded image", role: "viewer" }, async (context) => {
    const upload = await storage.getUpload(context.req.param("id")!);
    const canvasIds = upload ? await storage.uploadCanvases(upload.id) : [];
    for (const canvasId of canvasIds) {
      const canvas = await storage.getCanvas(canvasId);
      if (canvas && (await access.canvasRole(userId(context), canvas))) {
        context.header("Content-Type", upload!.mime);
        context.header("Cache-Control", "private, max-age=31536000, immutable");
        context.header("Content-Security-Policy", "default-src 'none'");
        return context.body(new Uint8Array(upload!.data));
      }
    }
    throw new ApiError("not_found", "No such image.");
  });
}
