import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError } from '../errors';
import { writeFileAtomic } from '../io/writeAtomic';

/**
 * Which workspace provider configs the user has said may be used. A config in a folder can
 * point a provider at any server and name any environment variable as its key, so cloning a
 * repository and running a command there must not send that server your secrets: a
 * workspace config is used only once `editscope trust` has recorded its real path and the
 * hash of its content in the user's own config folder, and again after every change.
 */
const STORE = 'trusted-configs.json';

/**
 * The user's config folder for Edit Scope: $XDG_CONFIG_HOME/editscope when set, else
 * %APPDATA%\editscope on Windows, ~/Library/Application Support/editscope on macOS and
 * ~/.config/editscope elsewhere.
 */
export function userConfigDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'editscope');
  const home = env.HOME || env.USERPROFILE || os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'editscope');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'editscope');
  return path.join(home, '.config', 'editscope');
}

/** The user-level provider config: trusted, since only its owner writes there. */
export function userConfigPath(env: NodeJS.ProcessEnv): string {
  return path.join(userConfigDir(env), 'config.json');
}

export function contentHash(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

type Store = Record<string, string>;

function readStore(env: NodeJS.ProcessEnv): Store {
  const file = path.join(userConfigDir(env), STORE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new InputError(`cannot read the list of trusted configs ${file} (${(err as NodeJS.ErrnoException).code})`);
  }
  try {
    const json = JSON.parse(text) as { configs?: unknown };
    const out: Store = {};
    if (json && typeof json.configs === 'object' && json.configs) {
      for (const [k, v] of Object.entries(json.configs)) if (typeof v === 'string') out[k] = v;
    }
    return out;
  } catch {
    // A damaged list trusts nothing; `editscope trust` writes a fresh one.
    return {};
  }
}

/** The key a config is trusted under: its real path, so a link elsewhere is not a second name. */
function identity(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/** Whether this content of the file was trusted, or another content was (the file changed since). */
export function trustState(file: string, bytes: Buffer, env: NodeJS.ProcessEnv): 'trusted' | 'changed' | 'unknown' {
  const known = readStore(env)[identity(file)];
  return known === undefined ? 'unknown' : known === contentHash(bytes) ? 'trusted' : 'changed';
}

/** Records the config as trusted with the content the user was shown (`bytes`). */
export function trustConfig(file: string, env: NodeJS.ProcessEnv, bytes: Buffer): { path: string; hash: string; store: string } {
  const store = readStore(env);
  const key = identity(file);
  const hash = contentHash(bytes);
  store[key] = hash;
  return { path: key, hash, store: writeStore(env, store) };
}

function writeStore(env: NodeJS.ProcessEnv, store: Store): string {
  const file = path.join(userConfigDir(env), STORE);
  writeFileAtomic(file, JSON.stringify({ version: 1, configs: store }, null, 2) + '\n', { mode: 0o600 });
  return file;
}

/** Forgets a config; returns whether it was trusted. */
export function untrustConfig(file: string, env: NodeJS.ProcessEnv): boolean {
  const store = readStore(env);
  const key = identity(file);
  if (!(key in store)) return false;
  delete store[key];
  writeStore(env, store);
  return true;
}
