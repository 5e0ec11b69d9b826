import type { Context, Hono } from "hono";
import { z } from "zod";
import { ApiError, ErrorCode } from "@cocanvas/protocol";
import type { UserRow } from "../storage/storage.ts";

export interface AppEnv {
  Variables: { user: UserRow | null; authKind: "session" | "token" | null; csrfToken: string | null; sessionToken: string | null };
}
export type ApiContext = Context<AppEnv>;

type Method = "get" | "post" | "put" | "patch" | "delete";
/** Who may call a route, before any per-object role check in the handler. */
type Auth = "none" | "user" | "admin";

interface Operation {
  method: Method;
  path: string;
  summary: string;
  auth: Auth;
  role?: string;
  body?: z.ZodType;
  query?: Record<string, string>;
  success: number;
}

/**
 * Registers JSON API routes together with their description, so that validation,
 * authentication and the OpenAPI document come from one definition.
 */
export class ApiRouter {
  readonly operations: Operation[] = [];

  constructor(private readonly app: Hono<AppEnv>) {}

  add<Body extends z.ZodType = z.ZodUndefined>(
    method: Method,
    path: string,
    spec: { summary: string; auth?: Auth; role?: string; body?: Body; query?: Record<string, string>; success?: number },
    handler: (context: ApiContext, body: z.infer<Body>) => Promise<Response> | Response,
  ): void {
    const auth = spec.auth ?? "user";
    this.operations.push({ method, path, summary: spec.summary, auth, role: spec.role, body: spec.body, query: spec.query, success: spec.success ?? 200 });
    const honoPath = path.replace(/\{(\w+)\}/g, ":$1");
    this.app.on(method.toUpperCase(), honoPath, async (context) => {
      const user = context.get("user");
      if (auth !== "none" && !user) throw new ApiError("unauthenticated", "Sign in or send an API token (Authorization: Bearer ...).");
      if (auth === "admin" && !user?.isAdmin) throw new ApiError("forbidden", "Only an admin may do this.");
      const body = spec.body ? await readBody(context, spec.body) : undefined;
      return handler(context, body as z.infer<Body>);
    });
  }

  /** The OpenAPI 3.1 document of every registered route. */
  openApi(info: { version: string }) {
    const paths: Record<string, Record<string, unknown>> = {};
    const errorResponse = { description: "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
    for (const operation of this.operations) {
      const parameters = [
        ...[...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => ({ name: match[1], in: "path", required: true, schema: { type: "string" } })),
        ...Object.entries(operation.query ?? {}).map(([name, description]) => ({ name, in: "query", required: false, description, schema: { type: "string" } })),
      ];
      (paths[operation.path] ??= {})[operation.method] = {
        summary: operation.summary,
        description: [operation.role && `Requires the ${operation.role} role.`, operation.auth === "admin" && "Admins only."].filter(Boolean).join(" ") || undefined,
        security: operation.auth === "none" ? [] : [{ bearer: [] }, { session: [] }],
        parameters: parameters.length ? parameters : undefined,
        requestBody: operation.body
          ? { required: true, content: { "application/json": { schema: z.toJSONSchema(operation.body, { io: "input", unrepresentable: "any" }) } } }
          : undefined,
        responses: { [operation.success]: { description: "Success" }, "4XX": errorResponse, "5XX": errorResponse },
      };
    }
    return {
      openapi: "3.1.0",
      info: { title: "Cocanvas API", version: info.version },
      paths,
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "An API token (create one in Settings or with `cocanvas token create`)." },
          session: { type: "apiKey", in: "cookie", name: "cocanvas_session", description: "Browser session; state-changing requests also need the X-CSRF-Token header." },
        },
        schemas: {
          Error: {
            type: "object",
            required: ["error"],
            properties: {
              error: {
                type: "object",
                required: ["code", "message"],
                properties: { code: { type: "string", enum: Object.values(ErrorCode) }, message: { type: "string" }, issues: {} },
              },
            },
          },
        },
      },
    };
  }
}

async function readBody<Body extends z.ZodType>(context: ApiContext, schema: Body): Promise<z.infer<Body>> {
  const type = context.req.header("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new ApiError("invalid_request", "Send the body as JSON with Content-Type: application/json.");
  }
  let json: unknown;
  try {
    json = JSON.parse(await context.req.text());
  } catch {
    throw new ApiError("invalid_request", "The body is not valid JSON.");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? `${first.path.join(".")}: ` : "";
    throw new ApiError("invalid_request", `Invalid request body: ${where}${first?.message ?? "invalid"}`, parsed.error.issues);
  }
  return parsed.data;
}
