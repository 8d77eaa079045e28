// Names read from disk (class folders, file names) as `convboard info` and error messages show
// them: a terminal escape or a newline in a folder name must not reshape the output.
import { quoteInput } from '../../core/quotedText';

/** A name as it is when it is plain printable ASCII of sane length, else quoted with escapes. */
export function shownName(name: string): string {
  return /^[\x20-\x7e]{0,80}$/.test(name) ? name : quoteInput(name, 60);
}

/** Text with its control and bidi-override characters escaped (\u001b), everything else kept. */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
