import { quoteInput } from './quotedText';

export class EventImagePathError extends Error {
  override readonly name = 'EventImagePathError';
}

const PLAIN = /^[A-Za-z0-9_.-]$/;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const LOOKS_LIKE_IMAGE_FILE = /^-?[0-9]+(_[0-9]+)?\.png$/i;
const MAX_SEGMENT = 180;

/** UTF-8 bytes of the text; a lone surrogate (a tag decoded from broken UTF-8) gets its 3-byte form. */
function utf8(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

const percent = (text: string) => utf8(text).map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

/** FNV-1a of the UTF-8 bytes: only keeps shortened names apart, not a security measure. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (const b of utf8(text)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/**
 * One path segment from untrusted text, safe on Linux, macOS and Windows: every character but
 * [A-Za-z0-9_.-] is percent-encoded (so '%' itself is, and the mapping can be undone: two
 * different texts never share a folder), and so is whatever the file system would treat specially:
 * a leading or trailing dot ('..', hidden folders), Windows device names, and names that look like
 * the image files written beside them. The empty text becomes "%", which no encoding produces.
 */
export function safePathSegment(text: string): string {
  if (text === '') return '%';
  let out = '';
  for (const ch of text) out += PLAIN.test(ch) ? ch : percent(ch);
  if (out.startsWith('.')) out = `%2E${out.slice(1)}`;
  if (out.endsWith('.')) out = `${out.slice(0, -1)}%2E`;
  if (WINDOWS_DEVICE.test(out)) out = `${percent(out[0]!)}${out.slice(1)}`;
  if (LOOKS_LIKE_IMAGE_FILE.test(out)) out = out.replace('.', '%2E');
  if (out.length > MAX_SEGMENT) {
    // Cut before a partial escape; '~' is always escaped above, so shortened names stay distinct.
    let cut = MAX_SEGMENT - 9;
    const pct = out.lastIndexOf('%', cut);
    if (pct >= cut - 2) cut = pct;
    out = `${out.slice(0, cut)}~${fnv1a(text)}`;
  }
  return out;
}

/** A tag as a relative folder path: TensorBoard's '/' grouping becomes folders, each segment made safe. */
export function tagFolder(tag: string): string {
  return tag.split('/').map(safePathSegment).join('/');
}

/**
 * The image file of sample `sample` (0-based) at `step`: NNNNNN.png for the first, NNNNNN_k.png for
 * the k-th after it. add_images writes one grid per step, so its files are all NNNNNN.png, as
 * `convboard export --tensorboard` names them; tensor-kind summaries may hold several per step.
 */
export function imageFileName(step: number, sample: number): string {
  if (!Number.isSafeInteger(step)) throw new EventImagePathError(`event image path: step ${step} is not an integer`);
  if (!Number.isSafeInteger(sample) || sample < 0) throw new EventImagePathError(`event image path: sample ${sample} is not a count`);
  const digits = String(Math.abs(step)).padStart(6, '0');
  return `${step < 0 ? '-' : ''}${digits}${sample === 0 ? '' : `_${sample}`}.png`;
}

/**
 * Where an image goes under the output folder: `<tag folders>/<image file>`, or with a run,
 * `<run>/<tag folders>/<image file>` where the run is ONE folder (its '/' escaped), so run "a/b"
 * with tag "c" and run "a" with tag "b/c" cannot meet. The root run "." becomes "%2E".
 */
export function eventImagePath(tag: string, step: number, sample: number, run?: string): string {
  const tagPart = `${tagFolder(tag)}/${imageFileName(step, sample)}`;
  return run === undefined ? tagPart : `${safePathSegment(run)}/${tagPart}`;
}

/**
 * Two of the paths that differ only in letter case: they would overwrite each other on the
 * case-insensitive file systems of macOS and Windows, so a writer should refuse them.
 */
export function findCaseClash(paths: Iterable<string>): [string, string] | null {
  const seen = new Map<string, string>();
  for (const p of paths) {
    const key = p.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined && other !== p) return [other, p];
    seen.set(key, p);
  }
  return null;
}

/** The one-line error for a clash found by findCaseClash. */
export function caseClashError(clash: [string, string]): EventImagePathError {
  return new EventImagePathError(
    `event images: ${quoteInput(clash[0])} and ${quoteInput(clash[1])} differ only in letter case and would overwrite each other on macOS and Windows`,
  );
}
