import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const DEFAULT_NAME = 'settings.json';
export const ENCODING = 'utf8';

// Reads the settings file once at start-up.
export async function load(dir: string) {
  const text = await readFile(join(dir, DEFAULT_NAME), 'utf8');
  return JSON.parse(text);
}

export function total(items: number[]) {
  let sum = 0;
  for (const item of items) {
    sum += item;
  }
  return sum;
}
