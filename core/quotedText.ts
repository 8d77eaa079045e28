// Text taken from a file and shown back to a person (an error line, a class name in the UI) must
// not be able to act on the terminal or the page: control characters could clear a screen or
// cut a one-line message, bidi overrides could make a name read backwards, and a 10 MB name
// would make a 10 MB error. Such characters are shown as escapes, and long text is cut.

const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, '0');
}

/** The escape for the character at `i`, or null when it may be shown as it is; `units` is its UTF-16 length. */
function escapeAt(text: string, i: number): { shown: string; units: number } {
  const c = text.charCodeAt(i);
  if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) {
    return { shown: NAMED_ESCAPES[text[i]] ?? `\\x${hex(c, 2)}`, units: 1 };
  }
  if (c >= 0xd800 && c < 0xdc00) {
    const next = text.charCodeAt(i + 1);
    if (next >= 0xdc00 && next < 0xe000) return { shown: text.slice(i, i + 2), units: 2 };
    return { shown: `\\u${hex(c, 4)}`, units: 1 };
  }
  if (c >= 0xdc00 && c < 0xe000) return { shown: `\\u${hex(c, 4)}`, units: 1 };
  // Line and paragraph separators end a line in many viewers.
  if (c === 0x2028 || c === 0x2029 || BIDI_CONTROLS.test(text[i])) return { shown: `\\u${hex(c, 4)}`, units: 1 };
  return { shown: text[i], units: 1 };
}

/** Escapes from the start of `text` until `maxLength` characters of output; `cut` tells whether some was left out. */
function escapePrefix(text: string, maxLength: number, quoted: boolean): { shown: string; cut: boolean } {
  let shown = '';
  let i = 0;
  while (i < text.length) {
    let { shown: piece, units } = escapeAt(text, i);
    if (quoted && (piece === '"' || piece === '\\')) piece = `\\${piece}`;
    if (shown.length + piece.length > maxLength) return { shown, cut: true };
    shown += piece;
    i += units;
  }
  return { shown, cut: false };
}

/**
 * `text` as a double-quoted, JSON-like literal safe to put in a one-line message: control
 * characters, DEL, C1 controls, lone surrogates, line separators and bidi overrides appear as
 * escapes (\n, \x1b, \u202e). Text longer than `maxLength` characters (after escaping) is cut
 * with an ellipsis and its total length is given: `"abc…" (10485760 characters)`.
 */
export function quoteInput(text: string, maxLength = 80): string {
  const { shown, cut } = escapePrefix(text, Math.max(1, maxLength), true);
  return cut ? `"${shown}…" (${text.length} characters)` : `"${shown}"`;
}

/** A name from a file as it may be shown in the UI or in info text: escaped as quoteInput does, unquoted, cut with "…". */
export function sanitizeLabel(text: string, maxLength = 80): string {
  const { shown, cut } = escapePrefix(text, Math.max(1, maxLength), false);
  return cut ? `${shown}…` : shown;
}

/** Whether `text` holds a character quoteInput would escape (other than `"` and `\`). */
export function hasUnsafeCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const { shown, units } = escapeAt(text, i);
    if (units === 1 && shown !== text[i]) return true;
    i += units - 1;
  }
  return false;
}
