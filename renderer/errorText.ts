import { HostError } from '../core/hostContract';

/** One readable line for the error banner, whatever was thrown. */
export function errorText(error: unknown): string {
  if (error instanceof HostError) return error.info.message;
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}

/** The layer/view field an error is about, when the back end named one. */
export function errorField(error: unknown): string | null {
  return error instanceof HostError ? error.info.field : null;
}
