/** The "Open Recent" list, most recent first, kept in the user's app-data folder. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../output/atomicWrite';

export const MAX_RECENT = 10;

export function withRecent(list: readonly string[], path: string): string[] {
  return [path, ...list.filter((p) => p !== path)].slice(0, MAX_RECENT);
}

export function loadRecent(userDataDir: string): string[] {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(userDataDir, 'recent-datasets.json'), 'utf8'));
    return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

export async function saveRecent(userDataDir: string, list: readonly string[]): Promise<void> {
  await writeFileAtomic(join(userDataDir, 'recent-datasets.json'), new TextEncoder().encode(JSON.stringify(list, null, 2)));
}
