// Writing C text safely. Model files are untrusted input: a tensor or model
// name may hold anything, including "*/", quotes, newlines or backslashes.
// Names reach generated C only through these helpers — as a sanitized
// identifier, inside an escaped string literal, or as comment-safe text — so
// no name can ever close a comment or a string and inject code.

const C_KEYWORDS = new Set(
  ("auto break case char const continue default do double else enum extern float for goto if inline int long " +
    "register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while " +
    "_Bool _Complex _Imaginary _Alignas _Alignof _Atomic _Generic _Noreturn _Static_assert _Thread_local " +
    "alignas alignof bool class delete new namespace template this true false").split(" "),
);

/**
 * A C identifier made from `name`: every character outside [A-Za-z0-9_]
 * becomes "_", runs collapse, a leading digit gets a "_" prefix, and the
 * result is lower case. Reserved names (keywords, leading "__" or "_X")
 * get a "m_" prefix.
 */
export function cIdentifier(name: string, fallback = "model"): string {
  let id = name.replace(/[^A-Za-z0-9_]+/g, "_").replace(/_+/g, "_").replace(/^_+|_+$/g, "").toLowerCase();
  if (id === "") id = fallback;
  if (/^[0-9]/.test(id)) id = `m_${id}`;
  if (C_KEYWORDS.has(id)) id = `m_${id}`;
  return id;
}

/** A C string literal holding `text` exactly (as UTF-8), with only printable ASCII left unescaped. */
export function cString(text: string): string {
  let out = '"';
  for (const byte of new TextEncoder().encode(text)) {
    const ch = String.fromCharCode(byte);
    // "?" is escaped too: "??/" is a trigraph in C99.
    if (/[A-Za-z0-9 _.,:;/()[\]{}<>=+\-*&%$#@!~^|']/.test(ch)) out += ch;
    else out += `\\${byte.toString(8).padStart(3, "0")}`;
  }
  return `${out}"`;
}

/** Text that is safe inside a C block comment and on one line: no "*" + "/", no newlines, ASCII only. */
export function commentText(text: string, max = 80): string {
  // "/" is kept ("*" never is, so neither "/*" nor "*/" can form); "?" never is (trigraphs).
  const safe = text.replace(/[^A-Za-z0-9 _.,:;()[\]{}<>=+\-&%$#@!~^|'/]/g, "_");
  return safe.length > max ? `${safe.slice(0, max - 3)}...` : safe;
}

/** A C integer literal valid for any int32 (INT32_MIN cannot be written as "-2147483648"). */
export function cInt(n: number): string {
  if (!Number.isInteger(n)) throw new Error(`not an integer: ${n}`);
  if (n === -2147483648) return "(-2147483647 - 1)";
  return String(n);
}

/** A float literal that reads back as exactly the float32 nearest `x` (FLT_MAX and friends included). */
export function cFloat(x: number): string {
  const f = Math.fround(x);
  if (Number.isNaN(f)) throw new Error("NaN has no portable C99 literal");
  if (f === Infinity) return "HUGE_VALF";
  if (f === -Infinity) return "(-HUGE_VALF)";
  if (Object.is(f, -0)) return "-0.0f";
  // 9 significant digits round-trip every float32.
  let s = f.toPrecision(9);
  if (!/[.e]/.test(s)) s += ".0";
  s = s.replace(/e\+?/, "e");
  return `${s}f`;
}

/** Lines of comma-separated values, `perLine` to a line, indented for an initializer. */
export function initializerLines(values: readonly string[], perLine: number, indent = "  "): string {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += perLine) lines.push(indent + values.slice(i, i + perLine).join(", ") + ",");
  return lines.join("\n");
}
