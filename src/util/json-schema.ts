// A small JSON Schema validator for the subset tinyml's own schemas use
// (type, enum, properties, required, additionalProperties: false, items,
// minItems, minimum, pattern). It exists for the error messages: each
// problem names the JSON path, and an unknown key gets a "did you mean".

import { didYouMean } from "./suggest.js";

export interface JsonSchema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  enum?: readonly unknown[];
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  minItems?: number;
  minimum?: number;
  pattern?: string;
  description?: string;
}

export interface SchemaProblem {
  /** JSON path, e.g. `cpu.clockHz` or `serial.usb[0].vid`. */
  path: string;
  message: string;
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

export function validateJson(value: unknown, schema: JsonSchema, path = ""): SchemaProblem[] {
  const at = path || "(top level)";
  const problems: SchemaProblem[] = [];
  const actual = typeOf(value);
  if (schema.enum && !schema.enum.includes(value)) {
    const allowed = schema.enum.map((e) => JSON.stringify(e)).join(", ");
    const hint = typeof value === "string" ? didYouMean(value, schema.enum.filter((e): e is string => typeof e === "string")) : "";
    return [{ path: at, message: `${JSON.stringify(value)} is not one of ${allowed}.${hint}` }];
  }
  if (schema.type) {
    const ok = schema.type === "number" ? actual === "number" || actual === "integer" : actual === schema.type;
    if (!ok) return [{ path: at, message: `expected ${schema.type === "integer" ? "an integer" : `a ${schema.type}`}, found ${actual === "integer" ? "a number" : actual} ${JSON.stringify(value)}` }];
  }
  if (typeof value === "number" && schema.minimum !== undefined && value < schema.minimum) {
    problems.push({ path: at, message: `must be at least ${schema.minimum}, found ${value}` });
  }
  if (typeof value === "string" && schema.pattern && !new RegExp(schema.pattern).test(value)) {
    problems.push({ path: at, message: `${JSON.stringify(value)} does not match ${schema.pattern}` });
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      problems.push({ path: at, message: `needs at least ${schema.minItems} item(s)` });
    }
    if (schema.items) value.forEach((v, i) => problems.push(...validateJson(v, schema.items!, `${path}[${i}]`)));
  }
  if (actual === "object" && (schema.properties || schema.required)) {
    const obj = value as Record<string, unknown>;
    const known = Object.keys(schema.properties ?? {});
    for (const key of schema.required ?? []) {
      if (!(key in obj)) problems.push({ path: at, message: `missing required key '${key}'` });
    }
    for (const [key, v] of Object.entries(obj)) {
      const sub = schema.properties?.[key];
      const childPath = path ? `${path}.${key}` : key;
      if (sub) problems.push(...validateJson(v, sub, childPath));
      else if (schema.additionalProperties === false) {
        problems.push({ path: childPath, message: `unknown key '${key}'.${didYouMean(key, known)} Allowed: ${known.join(", ")}` });
      }
    }
  }
  return problems;
}
