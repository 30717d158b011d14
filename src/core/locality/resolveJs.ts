import * as path from 'node:path';
import type { WorkspaceFs } from './workspaceFs';

const EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** `./util.js` in TypeScript source names `./util.ts`. */
const JS_TO_TS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
/** `./util.js` in typings names `./util.d.ts`. */
const JS_TO_DTS: Record<string, string> = { '.js': '.d.ts', '.jsx': '.d.ts', '.mjs': '.d.mts', '.cjs': '.d.cts' };
/**
 * The conditions TypeScript matches in `exports` and `imports` (bundler or node resolution,
 * import or require), plus the tsconfig's `customConditions`. As in Node and TypeScript, a
 * target object's keys are tried in their own order, not this one's.
 */
const CONDITIONS = ['types', 'import', 'require', 'node', 'module', 'default'];
const TYPED = /\.(?:[cm]?tsx?)$/;

/**
 * How one import is resolved: the conditions it matches, and whether a TypeScript file
 * imports it (TypeScript then takes a target with typings over an earlier one without).
 */
interface Mode {
  conditions: Set<string>;
  typed: boolean;
}

interface TsConfig {
  /** Where `paths` targets are relative to: baseUrl when set, else the tsconfig's folder. */
  pathsBase: string;
  baseUrl: string | null;
  paths: Array<{ prefix: string; suffix: string; star: boolean; targets: string[] }>;
  customConditions: string[];
  /** `bundler` resolution leaves out the `node` condition. */
  bundler: boolean;
}

/**
 * Resolves TS/JS module specifiers to workspace files the way TypeScript does for the cases
 * a workspace's own code uses: relative paths (with extension and index resolution),
 * tsconfig `paths` and `baseUrl` (following `extends`), and the `exports`/`main` of packages
 * that live in the workspace. It reads only the files it needs, so it costs the same in a
 * workspace of ten files or ten thousand.
 */
export class JsResolver {
  private readonly configs = new Map<string, TsConfig | null>();
  private packages: Map<string, string> | null = null;

  constructor(private readonly fs: WorkspaceFs) {}

  resolve(specifier: string, fromFile: string): string | null {
    const dir = path.dirname(fromFile);
    let found: string | null = null;
    const config = this.tsconfigFor(dir);
    const mode: Mode = { conditions: new Set([...CONDITIONS.filter((c) => !(c === 'node' && config?.bundler)), ...(config?.customConditions ?? [])]), typed: TYPED.test(fromFile) };
    if (specifier.startsWith('.') || path.isAbsolute(specifier)) {
      const p = path.resolve(dir, specifier);
      // Typings import their neighbours' typings: `./x.js` in a .d.ts is `./x.d.ts`.
      const typing = /\.d\.[cm]?ts$/.test(fromFile) ? JS_TO_DTS[path.extname(p)] : undefined;
      found = (typing && this.fs.isFile(p.slice(0, -path.extname(p).length) + typing) ? p.slice(0, -path.extname(p).length) + typing : null) ?? this.file(p);
    } else if (specifier.startsWith('#')) found = this.viaImports(specifier, dir, mode);
    else {
      if (config) found = this.viaPaths(specifier, config);
      if (!found) found = this.viaPackage(specifier, dir, mode);
    }
    if (!found) return null;
    const real = this.fs.realpath(found);
    return this.fs.inWorkspace(real) ? real : null;
  }

  /** A path as a file, with the extensions and index files TypeScript tries. */
  private file(p: string): string | null {
    const ext = path.extname(p);
    if (this.fs.isFile(p) && ext) {
      for (const ts of JS_TO_TS[ext] ?? []) if (this.fs.isFile(p.slice(0, -ext.length) + ts)) return p.slice(0, -ext.length) + ts;
      return p;
    }
    for (const ts of JS_TO_TS[ext] ?? []) if (this.fs.isFile(p.slice(0, -ext.length) + ts)) return p.slice(0, -ext.length) + ts;
    // A JavaScript name with only typings behind it (a package's hand-written .d.ts).
    if (JS_TO_DTS[ext] && this.fs.isFile(p.slice(0, -ext.length) + JS_TO_DTS[ext])) return p.slice(0, -ext.length) + JS_TO_DTS[ext];
    for (const e of EXTENSIONS) if (this.fs.isFile(p + e)) return p + e;
    if (this.fs.isDir(p)) {
      const pkg = this.fs.json(path.join(p, 'package.json')) as PackageJson | undefined;
      if (pkg) {
        const entry = this.packageEntry(p, pkg, '.', { conditions: new Set(CONDITIONS), typed: false });
        if (entry) return entry;
      }
      for (const e of EXTENSIONS) if (this.fs.isFile(path.join(p, 'index' + e))) return path.join(p, 'index' + e);
    }
    return null;
  }

  private viaPaths(specifier: string, c: TsConfig): string | null {
    let best: { rest: string; targets: string[]; len: number } | null = null;
    for (const p of c.paths) {
      if (!p.star) {
        if (specifier === p.prefix) return this.first(p.targets.map((t) => path.resolve(c.pathsBase, t)));
        continue;
      }
      if (specifier.startsWith(p.prefix) && specifier.endsWith(p.suffix) && specifier.length >= p.prefix.length + p.suffix.length) {
        // The longest prefix wins, as in TypeScript.
        if (!best || p.prefix.length > best.len) best = { rest: specifier.slice(p.prefix.length, specifier.length - p.suffix.length), targets: p.targets, len: p.prefix.length };
      }
    }
    if (best) {
      const hit = this.first(best.targets.map((t) => path.resolve(c.pathsBase, t.replace('*', best!.rest))));
      if (hit) return hit;
    }
    return c.baseUrl ? this.file(path.resolve(c.baseUrl, specifier)) : null;
  }

  private first(paths: string[]): string | null {
    for (const p of paths) {
      const f = this.file(p);
      if (f) return f;
    }
    return null;
  }

  /** `#name` through the `imports` of the package the file is in (the nearest package.json above it). */
  private viaImports(specifier: string, fromDir: string, mode: Mode): string | null {
    for (let d = fromDir; this.fs.inWorkspace(d) || d === this.fs.root; d = path.dirname(d)) {
      const pkg = this.fs.json(path.join(d, 'package.json')) as PackageJson | undefined;
      if (pkg) {
        if (!pkg.imports || typeof pkg.imports !== 'object') return null;
        // A target that is not a path names a package: `"#dep": "dep-impl"`.
        return this.firstTarget(d, this.subpathTargets(pkg.imports as Record<string, unknown>, specifier, mode.conditions), mode, (t) => (t.startsWith('.') ? null : this.viaPackage(t, d, mode)));
      }
      if (d === this.fs.root) break;
    }
    return null;
  }

  /** A package of the workspace: linked into a node_modules folder, or listed by the root's `workspaces`. */
  private viaPackage(specifier: string, fromDir: string, mode: Mode): string | null {
    const parts = specifier.split('/');
    const nameLen = specifier.startsWith('@') ? 2 : 1;
    const name = parts.slice(0, nameLen).join('/');
    const sub = parts.length > nameLen ? './' + parts.slice(nameLen).join('/') : '.';
    let pkgDir: string | null = null;
    for (let d = fromDir; ; d = path.dirname(d)) {
      const candidate = path.join(d, 'node_modules', name);
      if (this.fs.isDir(candidate)) {
        const real = this.fs.realpath(candidate);
        if (this.fs.inWorkspace(real)) pkgDir = real;
        break;
      }
      if (d === this.fs.root || path.dirname(d) === d || !this.fs.inWorkspace(d)) break;
    }
    pkgDir ??= this.workspacePackages().get(name) ?? null;
    if (!pkgDir) return null;
    const pkg = (this.fs.json(path.join(pkgDir, 'package.json')) ?? {}) as PackageJson;
    return this.packageEntry(pkgDir, pkg, sub, mode) ?? (sub === '.' || pkg.exports !== undefined ? null : this.file(path.join(pkgDir, sub)));
  }

  /** `exports` (string, subpaths, patterns, conditions), then `types`/`module`/`main`, preferring a source file a build target came from. */
  private packageEntry(dir: string, pkg: PackageJson, sub: string, mode: Mode): string | null {
    let targets: string[] = [];
    if (pkg.exports !== undefined) {
      const ex = pkg.exports;
      const map = typeof ex === 'object' && ex !== null && !Array.isArray(ex) && Object.keys(ex).some((k) => k.startsWith('.')) ? (ex as Record<string, unknown>) : { '.': ex };
      targets = this.subpathTargets(map, sub, mode.conditions);
    } else if (sub === '.') {
      for (const k of ['source', 'types', 'typings', 'module', 'main'] as const) if (typeof pkg[k] === 'string') targets.push(pkg[k] as string);
    }
    return this.firstTarget(dir, targets, mode);
  }

  /**
   * The first target that is a file (or the source an unbuilt one is made from); for a
   * TypeScript importer, first the first with typings, as TypeScript looks for typings
   * through every target before it settles for JavaScript.
   */
  private firstTarget(dir: string, targets: string[], mode: Mode, other: (t: string) => string | null = () => null): string | null {
    const found = targets.map((t) => other(t) ?? this.file(path.resolve(dir, t)) ?? this.file(path.resolve(dir, sourceOf(t))));
    return (mode.typed ? found.find((f) => f && /\.(?:[cm]?tsx?)$/.test(f)) : undefined) ?? found.find((f) => f) ?? null;
  }

  /**
   * The targets a subpath (`.`, `./x`, `#x`) maps to in `exports` or `imports`: the exact key,
   * else the pattern with the longest prefix, as Node and TypeScript pick. The conditions the
   * resolution matches come first; then those it does not, so an unbuilt workspace package's
   * `"@acme/source": "./src/index.ts"` still names its source when nothing built exists.
   */
  private subpathTargets(map: Record<string, unknown>, sub: string, conditions: Set<string>): string[] {
    let entry: unknown = map[sub];
    let rest: string | null = null;
    if (entry === undefined) {
      let best = -1;
      for (const [k, v] of Object.entries(map)) {
        const star = k.indexOf('*');
        if (star >= 0 && star > best && sub.startsWith(k.slice(0, star)) && sub.endsWith(k.slice(star + 1)) && sub.length >= k.length - 1) {
          entry = v;
          best = star;
          rest = sub.slice(star, sub.length - (k.length - star - 1));
        }
      }
    }
    const out: string[] = [];
    collectTargets(entry, conditions, out, false);
    collectTargets(entry, conditions, out, true);
    return [...new Set(rest === null ? out : out.map((t) => t.split('*').join(rest!)))];
  }

  private workspacePackages(): Map<string, string> {
    if (this.packages) return this.packages;
    this.packages = new Map();
    const root = this.fs.json(path.join(this.fs.root, 'package.json')) as PackageJson | undefined;
    const ws = Array.isArray(root?.workspaces) ? root!.workspaces : (root?.workspaces as { packages?: unknown } | undefined)?.packages;
    const patterns = Array.isArray(ws) ? ws.filter((x): x is string => typeof x === 'string') : [];
    const pnpm = this.fs.read(path.join(this.fs.root, 'pnpm-workspace.yaml'));
    if (pnpm) for (const m of pnpm.matchAll(/^\s*-\s*['"]?([^'"\n#]+?)['"]?\s*$/gm)) patterns.push(m[1]);
    for (const pattern of patterns) {
      if (pattern.startsWith('!')) continue;
      // `packages/*` and `packages/**` are what workspaces use: folders one level under a base.
      const star = pattern.indexOf('*');
      const dirs = star < 0 ? [path.resolve(this.fs.root, pattern)] : this.fs.list(path.resolve(this.fs.root, pattern.slice(0, star))).map((d) => path.resolve(this.fs.root, pattern.slice(0, star), d));
      for (const d of dirs) {
        const pkg = this.fs.json(path.join(d, 'package.json')) as PackageJson | undefined;
        if (pkg && typeof pkg.name === 'string') this.packages.set(pkg.name, d);
      }
    }
    return this.packages;
  }

  /** The nearest tsconfig.json (or jsconfig.json) above the folder, with its `extends` chain merged. */
  private tsconfigFor(dir: string): TsConfig | null {
    if (this.configs.has(dir)) return this.configs.get(dir)!;
    let found: TsConfig | null = null;
    const file = ['tsconfig.json', 'jsconfig.json'].map((n) => path.join(dir, n)).find((p) => this.fs.isFile(p));
    if (file) found = this.loadTsconfig(file, 0, path.dirname(file));
    else if (dir !== this.fs.root && path.dirname(dir) !== dir && this.fs.inWorkspace(dir)) found = this.tsconfigFor(path.dirname(dir));
    this.configs.set(dir, found);
    return found;
  }

  /** `configDir` is the folder of the tsconfig the chain started from: what `${configDir}` means in any config it extends. */
  private loadTsconfig(file: string, depth: number, configDir: string): TsConfig | null {
    const json = this.fs.json(file) as { extends?: string | string[]; compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]>; customConditions?: unknown; moduleResolution?: unknown } } | undefined;
    if (!json) return null;
    let base = null as TsConfig | null;
    const ext = Array.isArray(json.extends) ? json.extends : json.extends ? [json.extends] : [];
    for (const e of ext) {
      if (depth > 8) break;
      const target = this.extendsTarget(e, path.dirname(file));
      const parent = target ? this.loadTsconfig(target, depth + 1, configDir) : null;
      if (parent) base = { ...parent, paths: parent.paths.length ? parent.paths : base?.paths ?? [], customConditions: parent.customConditions.length ? parent.customConditions : base?.customConditions ?? [], bundler: parent.bundler || !!base?.bundler };
    }
    const dir = path.dirname(file);
    const co = json.compilerOptions ?? {};
    const withDir = (p: string) => p.replace(/^\$\{configDir\}/, configDir);
    const baseUrl = typeof co.baseUrl === 'string' ? path.resolve(dir, withDir(co.baseUrl)) : base?.baseUrl ?? null;
    let paths = base?.paths ?? [];
    let pathsBase = baseUrl ?? base?.pathsBase ?? dir;
    if (co.paths && typeof co.paths === 'object') {
      // Paths are relative to the config that declares them, unless a baseUrl says otherwise.
      pathsBase = baseUrl ?? dir;
      paths = Object.entries(co.paths).map(([k, v]) => {
        const star = k.indexOf('*');
        return { prefix: star < 0 ? k : k.slice(0, star), suffix: star < 0 ? '' : k.slice(star + 1), star: star >= 0, targets: Array.isArray(v) ? v.filter((x) => typeof x === 'string').map(withDir) : [] };
      });
    }
    const customConditions = Array.isArray(co.customConditions) ? co.customConditions.filter((c): c is string => typeof c === 'string') : base?.customConditions ?? [];
    const bundler = typeof co.moduleResolution === 'string' ? co.moduleResolution.toLowerCase() === 'bundler' : !!base?.bundler;
    return { baseUrl, paths, pathsBase, customConditions, bundler };
  }

  private extendsTarget(e: string, dir: string): string | null {
    if (e.startsWith('.') || path.isAbsolute(e)) {
      const p = path.resolve(dir, e);
      return this.fs.isFile(p) ? p : this.fs.isFile(p + '.json') ? p + '.json' : null;
    }
    // A shared config package: node_modules/<pkg>/tsconfig.json or the file it names.
    for (let d = dir; ; d = path.dirname(d)) {
      const p = path.join(d, 'node_modules', e);
      for (const c of [p, p + '.json', path.join(p, 'tsconfig.json')]) if (this.fs.isFile(c)) return c;
      if (path.dirname(d) === d || !this.fs.inWorkspace(d)) return null;
    }
  }
}

interface PackageJson {
  name?: string;
  exports?: unknown;
  main?: string;
  module?: string;
  types?: string;
  typings?: string;
  source?: string;
  imports?: unknown;
  workspaces?: unknown;
}

/** Targets in the object's own key order; `anyCondition` takes the keys the resolution does not match too. */
function collectTargets(entry: unknown, conditions: Set<string>, out: string[], anyCondition: boolean): void {
  if (typeof entry === 'string') out.push(entry);
  else if (Array.isArray(entry)) for (const e of entry) collectTargets(e, conditions, out, anyCondition);
  else if (entry && typeof entry === 'object') {
    for (const [k, v] of Object.entries(entry as Record<string, unknown>)) if (anyCondition || conditions.has(k)) collectTargets(v, conditions, out, anyCondition);
  }
}

/** `./dist/index.js` of an unbuilt workspace package: the source it is built from. */
function sourceOf(target: string): string {
  return target.replace(/^(\.\/)?(dist|lib|build|out)\//, '$1src/').replace(/\.d\.ts$/, '.ts');
}
