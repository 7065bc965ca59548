// Zephyr twister's hardware map, which rig owners already write: a YAML
// list of boards with `id`, `platform` (here: a tinyml board id), `serial`
// (the port) and optionally `serial_number` (to find the port by USB serial
// when ttys get renumbered) and `connected: false` (skip it). Only the
// block-style subset twister maps use is read — a list of flat mappings
// whose values are scalars or lists of scalars; anything else is an error
// that names the line.
import { readFileSync } from "node:fs";
import { listSerialPorts, type DiscoveryRoots } from "../device/ports.js";
import { TinymlError } from "../errors.js";

export interface HardwareMapEntry {
  id: string;
  platform: string;
  serial?: string;
  serialNumber?: string;
  connected: boolean;
  /** 1-based line of the entry's `- ` in the file. */
  line: number;
}

type Value = string | boolean | string[];

function scalar(text: string): string | boolean {
  const t = text.trim();
  if (/^(true|yes|on)$/i.test(t)) return true;
  if (/^(false|no|off)$/i.test(t)) return false;
  const q = /^(["'])(.*)\1$/.exec(t);
  return q ? q[2]! : t;
}

function stripComment(line: string): string {
  // A '#' starts a comment at the line start or after whitespace, outside quotes.
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === "#" && (i === 0 || /\s/.test(line[i - 1]!))) {
      return line.slice(0, i);
    }
  }
  return line;
}

/** Parses the list-of-mappings subset; returns each mapping with its line number. */
export function parseYamlList(text: string, file: string): Array<{ line: number; fields: Map<string, Value> }> {
  const items: Array<{ line: number; fields: Map<string, Value> }> = [];
  let current: { line: number; fields: Map<string, Value>; indent: number } | undefined;
  let listKey: { key: string; indent: number } | undefined;
  const fail = (n: number, why: string): never => {
    throw new TinymlError("TML_E_USAGE", `hardware map: ${why}`, {
      location: { file, detail: `line ${n}` },
      hint: "a hardware map is a YAML list of boards: `- id: …` then `platform: BOARD` and `serial: /dev/ttyACM0` indented under it",
    });
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    const n = i + 1;
    const line = stripComment(raw).replace(/\s+$/, "");
    if (line.trim() === "" || line.trim() === "---") return;
    const indent = line.length - line.trimStart().length;
    let body = line.trimStart();
    if (listKey && current && indent > current.indent && body.startsWith("- ")) {
      const arr = current.fields.get(listKey.key);
      if (Array.isArray(arr)) arr.push(String(scalar(body.slice(2))));
      return;
    }
    listKey = undefined;
    if (body.startsWith("- ") || body === "-") {
      if (current && indent > current.indent) fail(n, "nested lists are not supported here");
      current = { line: n, fields: new Map(), indent };
      items.push(current);
      body = body.slice(1).trimStart();
      if (body === "") return;
    } else if (!current) {
      fail(n, "expected a list entry starting with '- '");
    } else if (indent <= current.indent) {
      fail(n, "a key must be indented under its '- ' entry");
    }
    const m = /^([A-Za-z_][\w-]*)\s*:(?:\s+(.*))?$/.exec(body);
    if (!m) return fail(n, `cannot read '${body}' (expected 'key: value')`);
    const key = m[1]!;
    const value = m[2];
    if (value === undefined || value.trim() === "") {
      current!.fields.set(key, []);
      listKey = { key, indent };
    } else if (value.trim().startsWith("[")) {
      const inner = /^\[(.*)\]$/.exec(value.trim());
      if (!inner) return fail(n, `unterminated list for '${key}'`);
      current!.fields.set(key, inner[1]!.split(",").map((s) => String(scalar(s))).filter((s) => s !== ""));
    } else {
      current!.fields.set(key, scalar(value));
    }
  });
  return items;
}

export function readHardwareMap(file: string): HardwareMapEntry[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new TinymlError("TML_E_FILE_NOT_FOUND", `cannot read hardware map ${file}: ${(e as Error).message}`);
  }
  const items = parseYamlList(text, file);
  if (items.length === 0) throw new TinymlError("TML_E_USAGE", `hardware map ${file} lists no boards`, { location: { file } });
  const seen = new Set<string>();
  return items.map(({ line, fields }) => {
    const str = (k: string): string | undefined => {
      const v = fields.get(k);
      return typeof v === "string" && v !== "" ? v : undefined;
    };
    const platform = str("platform");
    if (!platform) throw new TinymlError("TML_E_USAGE", "hardware map entry has no 'platform' (the tinyml board id)", { location: { file, detail: `line ${line}` } });
    const id = str("id") ?? str("serial") ?? `${platform}-${line}`;
    if (seen.has(id)) throw new TinymlError("TML_E_USAGE", `hardware map lists id '${id}' twice`, { location: { file, detail: `line ${line}` } });
    seen.add(id);
    const connected = fields.get("connected");
    const serialNumber = str("serial_number") ?? str("probe_id");
    return { id, platform, ...(str("serial") ? { serial: str("serial")! } : {}), ...(serialNumber ? { serialNumber } : {}), connected: connected !== false, line };
  });
}

/** The entry's port: `serial`, or the USB serial port whose serial number matches. */
export function entryPort(e: HardwareMapEntry, roots?: DiscoveryRoots): string | undefined {
  if (e.serial) return e.serial;
  if (!e.serialNumber) return undefined;
  const p = listSerialPorts(roots).find((x) => x.serialNumber === e.serialNumber);
  if (!p) {
    throw new TinymlError("TML_E_PORT_NOT_FOUND", `no serial port with USB serial number ${e.serialNumber} (hardware map entry '${e.id}')`, {
      hint: "check the board is plugged in (`tinyml ports` lists serial numbers), or give `serial: /dev/…`",
    });
  }
  return p.byId ?? p.path;
}
