// Parsing the two sidecar label formats into one list of raw entries, each
// remembering where it came from so an error can point at it:
//   labels.json  [{"file", "keyword", "start", "end"}, ...]
//                or {"clip.wav": [{"keyword", "start", "end"}, ...], ...}
//   labels.csv   a `file,keyword,start,end` header, then one row per keyword
// Times are seconds. A row may leave start and end out (empty in CSV): the
// label then covers the whole clip. A file listed with no keyword (an empty
// per-file list, or a non-keyword label such as "silence") is non-keyword audio.

import { TinymlError } from "../errors.js";

export interface RawLabel {
  file: string;
  /** Undefined for a clip listed without any keyword. */
  keyword: string | undefined;
  start: number | undefined;
  end: number | undefined;
  /** "entry 3", "line 7", "'a.wav' entry 2": where in the labels file. */
  where: string;
}

export function parseLabelsJson(text: string, labelsFile: string): RawLabel[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw invalid(labelsFile, "file", `not valid JSON: ${(e as Error).message}`);
  }
  if (Array.isArray(doc)) {
    return doc.map((entry, i) => {
      const where = `entry ${i}`;
      const o = asObject(entry, labelsFile, where);
      return { file: str(o.file, labelsFile, where, "file"), ...rangeOf(o, labelsFile, where), where };
    });
  }
  if (doc !== null && typeof doc === "object") {
    const out: RawLabel[] = [];
    for (const [file, list] of Object.entries(doc as Record<string, unknown>)) {
      if (!Array.isArray(list)) throw invalid(labelsFile, `'${file}'`, "must map to a list of {keyword, start, end}");
      if (list.length === 0) out.push({ file, keyword: undefined, start: undefined, end: undefined, where: `'${file}'` });
      list.forEach((entry, i) => {
        const where = `'${file}' entry ${i}`;
        out.push({ file, ...rangeOf(asObject(entry, labelsFile, where), labelsFile, where), where });
      });
    }
    return out;
  }
  throw invalid(labelsFile, "file", "must be a list of {file, keyword, start, end} or an object of per-file lists");
}

export function parseLabelsCsv(text: string, labelsFile: string): RawLabel[] {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? "").map((h) => h.trim().toLowerCase());
  const want = ["file", "keyword", "start", "end"];
  if (want.some((h, i) => header[i] !== h)) {
    throw invalid(labelsFile, "line 1", `the header must be '${want.join(",")}', found '${lines[0] ?? ""}'`);
  }
  const out: RawLabel[] = [];
  lines.slice(1).forEach((line, k) => {
    if (line.trim() === "") return;
    const where = `line ${k + 2}`;
    const cells = splitCsvLine(line).map((c) => c.trim());
    if (cells.length !== 4) throw invalid(labelsFile, where, `has ${cells.length} fields, 4 are needed (file,keyword,start,end)`);
    const [file, keyword, start, end] = cells as [string, string, string, string];
    if (file === "") throw invalid(labelsFile, where, "names no file");
    out.push({
      file,
      keyword: keyword === "" ? undefined : keyword,
      start: start === "" ? undefined : num(start, labelsFile, where, "start"),
      end: end === "" ? undefined : num(end, labelsFile, where, "end"),
      where,
    });
  });
  return out;
}

/** RFC 4180 fields: commas inside double quotes, "" for a quote. */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") cells.push(cur), (cur = "");
    else cur += ch;
  }
  cells.push(cur);
  return cells;
}

function rangeOf(o: Record<string, unknown>, labelsFile: string, where: string): Omit<RawLabel, "file" | "where"> {
  return {
    keyword: o.keyword === undefined ? undefined : str(o.keyword, labelsFile, where, "keyword"),
    start: o.start === undefined ? undefined : num(o.start, labelsFile, where, "start"),
    end: o.end === undefined ? undefined : num(o.end, labelsFile, where, "end"),
  };
}

function asObject(v: unknown, labelsFile: string, where: string): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw invalid(labelsFile, where, "must be an object");
  return v as Record<string, unknown>;
}

function str(v: unknown, labelsFile: string, where: string, key: string): string {
  if (typeof v !== "string" || v === "") throw invalid(labelsFile, where, `'${key}' must be a non-empty string`);
  return v;
}

function num(v: unknown, labelsFile: string, where: string, key: string): number {
  const n = typeof v === "string" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isFinite(n)) throw invalid(labelsFile, where, `'${key}' must be a number of seconds, got ${JSON.stringify(v)}`);
  return n;
}

export function invalid(labelsFile: string, where: string, what: string): TinymlError {
  return new TinymlError("TML_E_INPUT_MISMATCH", `invalid labels: ${where}: ${what}`, {
    location: { file: labelsFile, detail: where },
    hint: "Each label is {file, keyword, start, end} with times in seconds (CSV: a 'file,keyword,start,end' header).",
  });
}
