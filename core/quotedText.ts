/**
 * Untrusted text (a tag or file name read from disk) as a short, one-line, ASCII-only quoted
 * string for messages: control, non-ASCII and bidi characters cannot reshape the terminal line.
 */
export function quoteText(text: string, maxChars = 80): string {
  const chars = [...text];
  const shown = chars.length > maxChars ? chars.slice(0, maxChars).join('') : text;
  const escaped = shown.replace(/[^\x20-\x7e]|["\\]/gu, (c) => {
    if (c === '"' || c === '\\') return `\\${c}`;
    const code = c.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return `"${escaped}"${chars.length > maxChars ? `...(${chars.length} chars)` : ''}`;
}
