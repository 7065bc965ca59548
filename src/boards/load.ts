// Finding and validating boards. Built-in boards live in the package's
// boards/ directory; a project can add its own with --boards-dir (or
// TINYML_BOARDS_DIR), and a board there overrides a built-in one of the same id.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { TinymlError } from "../errors.js";
import { packagePath } from "../paths.js";
import { validateJson, type JsonSchema } from "../util/json-schema.js";
import { didYouMean } from "../util/suggest.js";
import type { Board, Microphone } from "./board.js";

const ID = /^[a-z0-9][a-z0-9_-]*$/;

export function builtinBoardsDir(): string {
  return packagePath("boards");
}

function boardDirs(extra?: string): string[] {
  const dirs = [builtinBoardsDir()];
  const env = process.env.TINYML_BOARDS_DIR;
  if (env) dirs.push(...env.split(":").filter(Boolean));
  if (extra) dirs.push(extra);
  return dirs;
}

let schemaCache: JsonSchema | undefined;
function boardSchema(): JsonSchema {
  schemaCache ??= JSON.parse(readFileSync(join(builtinBoardsDir(), "board.schema.json"), "utf8")) as JsonSchema;
  return schemaCache;
}

/** Every board file, later directories overriding earlier ones by id. */
function boardFiles(extra?: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of boardDirs(extra)) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith(".json") || f.endsWith(".schema.json")) continue;
      files.set(basename(f, ".json"), join(dir, f));
    }
  }
  return files;
}

export function boardIds(extra?: string): string[] {
  return [...boardFiles(extra).keys()].sort();
}

/** Parses and validates one board file; the file name is the id. */
export function parseBoardFile(file: string): Board {
  const id = basename(file, ".json");
  const invalid = (message: string, detail?: string, hint?: string): TinymlError =>
    new TinymlError("TML_E_BOARD_INVALID", message, {
      location: { file, ...(detail ? { detail } : {}) },
      hint: hint ?? "Fix the board file; boards/board.schema.json documents every key.",
    });
  if (!ID.test(id)) throw invalid(`board id '${id}' must be lowercase letters, digits, '-' or '_'`, undefined, "Rename the file: the file name is the board id.");
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw invalid(`not valid JSON: ${(e as Error).message}`);
  }
  const problems = validateJson(json, boardSchema());
  if (problems.length > 0) {
    const first = problems[0]!;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more: ${problems.slice(1).map((p) => `${p.path}: ${p.message}`).join("; ")})` : "";
    throw invalid(`${first.path}: ${first.message}${more}`, first.path);
  }
  const board = { ...(json as Omit<Board, "id" | "file">), id, file } as Board & { $schema?: string };
  delete board.$schema;
  if (!board.runtime.supported.includes(board.runtime.default)) {
    throw invalid(`runtime.default '${board.runtime.default}' is not in runtime.supported`, "runtime.default");
  }
  const mic = board.microphone;
  if (mic) {
    const kinds = MICROPHONE_KINDS[board.family];
    if (!kinds.includes(mic.kind)) {
      throw invalid(`microphone.kind '${mic.kind}': the ${board.family} HAL ${kinds.length > 0 ? `drives ${kinds.join(" or ")} microphones` : "has no microphone driver"}`, "microphone.kind");
    }
    if (mic.kind === "i2s" && !mic.pins) throw invalid("microphone.pins: an I2S microphone needs its bclk, ws and din GPIOs", "microphone.pins");
  }
  return board;
}

/** What each family's HAL (firmware/hal/<family>) can listen to. */
const MICROPHONE_KINDS: Record<Board["family"], Microphone["kind"][]> = {
  host: ["file"],
  baremetal: [],
  "esp-idf": ["i2s"],
  arduino: ["pdm"],
  coralmicro: ["pdm"],
};

export function loadBoard(id: string, extraDir?: string): Board {
  const files = boardFiles(extraDir);
  const file = files.get(id);
  if (!file) {
    const ids = [...files.keys()].sort();
    throw new TinymlError("TML_E_BOARD_UNKNOWN", `unknown board '${id}'.${didYouMean(id, ids)}`, {
      hint: `Known boards: ${ids.join(", ")}. Run \`tinyml boards\` for details, or add boards/${id}.json.`,
    });
  }
  return parseBoardFile(file);
}

export function loadAllBoards(extraDir?: string): Board[] {
  return [...boardFiles(extraDir).values()].map(parseBoardFile).sort((a, b) => a.id.localeCompare(b.id));
}
