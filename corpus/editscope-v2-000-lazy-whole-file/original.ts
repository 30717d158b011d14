import { readFile } from 'node:fs/promises';

export interface Config {
  name: string;
  port: number;
}

// Loads the config from disk.
export async function loadConfig(path: string): Promise<Config> {
  const raw = await readFile(path, 'utf8');
  return JSON.parse(raw) as Config;
}

export function describe(config: Config): string {
  return `${config.name} on ${config.port}`;
}

export function validate(config: Config): void {
  if (!config.name) throw new Error('name is required');
  if (config.port <= 0) throw new Error('port must be positive');
}
