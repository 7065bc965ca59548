// Escaping for the markup that the JUnit and HTML reports write. Names and
// messages come from the device, file names and error text, so they can hold
// anything — including control characters that XML 1.0 forbids outright (a
// stray ESC or NUL makes the whole JUnit file unparseable and CI loses every
// result). Those are replaced by a visible `\xNN` / `\uNNNN` so the reader
// still sees that something was there.

/** Characters outside XML 1.0's `Char` production, lone surrogates included. */
const INVALID_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function visibleEscape(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Makes a string representable in XML 1.0 (and HTML) without changing valid text. */
export function sanitizeXmlChars(s: string): string {
  return s.replace(INVALID_XML_CHAR, visibleEscape);
}

/** Escapes element content. */
export function escapeText(s: string): string {
  return sanitizeXmlChars(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Escapes a double- or single-quoted attribute value. Tab, newline and CR are
 * written as character references because attribute-value normalization
 * would otherwise turn them into spaces.
 */
export function escapeAttr(s: string): string {
  return escapeText(s)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}
