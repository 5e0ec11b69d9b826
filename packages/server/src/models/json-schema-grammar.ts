import type { JSONSchema7, JSONSchema7Definition } from "@ai-sdk/provider";
import type { GbnfJsonSchema } from "node-llama-cpp";

type Schema = Record<string, unknown>;

/** Any JSON value. */
const anyValue = {
  oneOf: [{ type: ["string", "number", "boolean", "null"] }, { type: "object", additionalProperties: true }, { type: "array" }],
} as unknown as GbnfJsonSchema;

const primitiveTypes = new Set(["string", "number", "integer", "boolean", "null"]);
const stringFormats = new Set(["date-time", "time", "date"]);

/**
 * Converts the JSON Schema the AI SDK hands a model (tool inputs, `responseFormat`) to the
 * subset node-llama-cpp turns into a grammar. What a grammar cannot enforce (patterns,
 * numeric ranges, formats other than dates) is dropped: the AI SDK still validates the
 * parsed value against the original schema. `$ref`s are inlined (recursion is cut at a
 * depth of 8 with "any value"); objects with declared properties accept no others.
 */
export function toGrammarSchema(schema: JSONSchema7 | JSONSchema7Definition | undefined): GbnfJsonSchema {
  const root = (typeof schema === "object" ? schema : {}) as Schema;
  return convert(root, root, 0);
}

function convert(input: unknown, root: Schema, depth: number): GbnfJsonSchema {
  if (depth > 8 || input === true || input === undefined || input === null || typeof input !== "object") return anyValue;
  const schema = input as Schema;
  const description = typeof schema.description === "string" ? { description: schema.description } : {};

  if (typeof schema.$ref === "string") return convert(resolveRef(schema.$ref, root), root, depth + 1);
  if ("const" in schema) {
    const value = schema.const;
    return value === null || ["string", "number", "boolean"].includes(typeof value) ? ({ const: value, ...description } as GbnfJsonSchema) : anyValue;
  }
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.filter((value) => value === null || ["string", "number", "boolean"].includes(typeof value));
    return values.length ? ({ enum: values, ...description } as GbnfJsonSchema) : anyValue;
  }
  const alternatives = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length) {
    const converted = alternatives.map((alternative) => convert(alternative, root, depth + 1));
    return converted.length === 1 ? converted[0]! : ({ oneOf: converted, ...description } as GbnfJsonSchema);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length) return convert(mergeAllOf(schema, root), root, depth + 1);

  const type = schema.type ?? (schema.properties ? "object" : schema.items ? "array" : undefined);
  if (Array.isArray(type)) {
    if (type.every((name) => primitiveTypes.has(name as string))) return { type: type as never, ...description } as GbnfJsonSchema;
    return { oneOf: type.map((name) => convert({ ...schema, type: name }, root, depth + 1)), ...description } as GbnfJsonSchema;
  }
  switch (type) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, unknown>;
      const names = Object.keys(properties);
      const converted = Object.fromEntries(names.map((name) => [name, convert(properties[name], root, depth + 1)]));
      const required = (Array.isArray(schema.required) ? schema.required : []).filter((name) => names.includes(name as string));
      const extra = schema.additionalProperties;
      const additionalProperties = names.length === 0 ? (typeof extra === "object" ? convert(extra, root, depth + 1) : extra !== false) : typeof extra === "object" ? convert(extra, root, depth + 1) : false;
      return {
        type: "object",
        properties: converted,
        required,
        additionalProperties,
        ...(typeof schema.minProperties === "number" ? { minProperties: schema.minProperties } : {}),
        ...(typeof schema.maxProperties === "number" ? { maxProperties: schema.maxProperties } : {}),
        ...description,
      } as GbnfJsonSchema;
    }
    case "array": {
      const items = schema.items;
      return {
        type: "array",
        ...(Array.isArray(items)
          ? { prefixItems: items.map((item) => convert(item, root, depth + 1)), ...(schema.additionalItems === false ? { maxItems: items.length } : {}) }
          : items !== undefined
            ? { items: convert(items, root, depth + 1) }
            : {}),
        ...(Array.isArray(schema.prefixItems) ? { prefixItems: schema.prefixItems.map((item) => convert(item, root, depth + 1)) } : {}),
        ...(typeof schema.minItems === "number" ? { minItems: schema.minItems } : {}),
        ...(typeof schema.maxItems === "number" ? { maxItems: schema.maxItems } : {}),
        ...description,
      } as GbnfJsonSchema;
    }
    case "string":
      return {
        type: "string",
        ...(typeof schema.format === "string" && stringFormats.has(schema.format) ? { format: schema.format } : {}),
        ...(typeof schema.minLength === "number" ? { minLength: schema.minLength } : {}),
        ...(typeof schema.maxLength === "number" ? { maxLength: schema.maxLength } : {}),
        ...description,
      } as GbnfJsonSchema;
    case "number":
    case "integer":
    case "boolean":
    case "null":
      return { type, ...description } as GbnfJsonSchema;
    default:
      return anyValue;
  }
}

function resolveRef(ref: string, root: Schema): unknown {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  return ref
    .slice(2)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((value, part) => (value as Schema | undefined)?.[part], root);
}

/** `allOf` of object schemas merges their properties; anything else keeps the first part. */
function mergeAllOf(schema: Schema, root: Schema): Schema {
  const parts = (schema.allOf as unknown[]).map((part) => {
    const value = (part as Schema | undefined)?.$ref ? resolveRef((part as Schema).$ref as string, root) : part;
    return (value ?? {}) as Schema;
  });
  const { allOf: _, ...rest } = schema;
  if (!parts.every((part) => part.type === "object" || part.properties)) return { ...parts[0], ...rest };
  return {
    ...rest,
    type: "object",
    properties: Object.assign({}, ...parts.map((part) => part.properties ?? {}), rest.properties ?? {}),
    required: [...new Set(parts.flatMap((part) => (part.required as string[] | undefined) ?? []).concat((rest.required as string[] | undefined) ?? []))],
    additionalProperties: parts.some((part) => part.additionalProperties === false) ? false : rest.additionalProperties,
  };
}
