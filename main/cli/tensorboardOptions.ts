// export's TensorBoard options: the two image tags and where the events file goes, so a ConvBoard
// run can sit beside the tutorial's (`--logdir runs/convboard --tag-input nn_conv2d_input ...`).
import { quoteInput } from '../../core/quotedText';
import { UsageError } from './cliErrors';

export interface TensorboardOptions {
  /** add_images' tags for the input and output grids ('input' and 'output' by default). */
  tagInput: string;
  tagOutput: string;
  /** Folder for the events file; null for the export folder. */
  logdir: string | null;
}

const MAX_TAG_LENGTH = 256;

function parseTag(option: string, text: string | undefined, fallback: string): string {
  if (text === undefined) return fallback;
  if (text.trim() === '') throw new UsageError(`${option}: the tag is empty`);
  if (text.length > MAX_TAG_LENGTH) throw new UsageError(`${option}: the tag is longer than ${MAX_TAG_LENGTH} characters`);
  // TensorBoard shows tags as text; control characters would only garble its tag list.
  if (/[\u0000-\u001f\u007f]/.test(text)) throw new UsageError(`${option}: the tag ${quoteInput(text, 40)} has control characters`);
  return text;
}

export function parseTensorboardOptions(values: { tensorboard?: boolean; 'tag-input'?: string; 'tag-output'?: string; logdir?: string }): TensorboardOptions {
  for (const option of ['tag-input', 'tag-output', 'logdir'] as const) {
    if (values[option] !== undefined && values.tensorboard !== true) throw new UsageError(`--${option} needs --tensorboard`);
  }
  const tagInput = parseTag('--tag-input', values['tag-input'], 'input');
  const tagOutput = parseTag('--tag-output', values['tag-output'], 'output');
  if (tagInput === tagOutput) throw new UsageError(`--tag-input and --tag-output are both ${quoteInput(tagInput, 40)}; the two grids need different tags`);
  if (values.logdir !== undefined && values.logdir.trim() === '') throw new UsageError('--logdir: the folder name is empty');
  return { tagInput, tagOutput, logdir: values.logdir ?? null };
}
