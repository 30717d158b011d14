import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { autoContext } from '../../src/core/locality/autoContext';
import { definitionSpan } from '../../src/core/locality/definitions';
import { dependsOn } from '../../src/core/locality/dependsOn';
import { maskSource } from '../../src/core/locality/mask';

/** Writes files under a fresh folder: `{ 'src/a.ts': '...' }`. */
export function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'editscope-locality-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

function deps(root: string, file: string, text: string, from: string, to = from) {
  return dependsOn({ root, file: join(root, file), text, range: { start: lineOf(text, from), end: lineOf(text, to) } });
}

/** The files the TS selections below import from. */
const MATH_AND_FORMAT = {
  'src/math.ts': 'export function total(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\nexport const unused = 1;\n',
  'src/format.ts': 'export const money = (n: number) => `$${n}`;\n',
};

describe('locality: what a selection depends on', () => {
  it('finds a relative import the selection calls, and nothing for a self-contained selection', () => {
    const main = [
      "import { total, unused } from './math';",
      "import * as fmt from './format.js';",
      '',
      'export function report(xs: number[]): string {',
      '  return fmt.money(total(xs));',
      '}',
      '',
      'export function double(x: number): number {',
      "  // total(x) is only mentioned in a comment, and 'unused' in a string",
      '  return x * 2;',
      '}',
      '',
    ].join('\n');
    const root = workspace({
      'src/main.ts': main,
      ...MATH_AND_FORMAT,
    });
    assert.deepEqual(deps(root, 'src/main.ts', main, 'export function report', 'return fmt.money'), [
      { file: 'src/format.ts', symbols: ['money'] },
      { file: 'src/math.ts', symbols: ['total'] },
    ]);
    assert.deepEqual(deps(root, 'src/main.ts', main, 'export function double', 'return x * 2'), []);
  });

  it('follows dynamic import() and require(), and leaves out a name the selection shadows, an object key and the import lines', () => {
    const main = [
      "import { total, unused } from './math';",
      "const fmt = require('./format');",
      '',
      'export async function lazy(xs: number[]) {',
      "  const m = await import('./math');",
      "  const { money } = await import('./format');",
      '  return money(m.total(xs));',
      '}',
      'export function later(xs: number[]) {',
      "  return import('./math').then((mod) => mod.total(xs));",
      '}',
      'export function direct(xs: number[]) {',
      "  return require('./format').money((await import('./math')).total(xs));",
      '}',
      'export function shadowedByConst(xs: number[]) {',
      '  const total = (a: number[]) => a.length;',
      '  return total(xs);',
      '}',
      'export function shadowedByParam(total: (a: number[]) => number, xs: number[]) {',
      '  return total(xs);',
      '}',
      'export const arrow = (fmt: { money(n: number): string }) => fmt.money(1);',
      'export const destructured = ({ total }: { total: (xs: number[]) => number }) => total([1]);',
      'export function key() {',
      '  return { total: 1, unused: 2 };',
      '}',
      'export function after(xs: number[]) {',
      '  const total = 0;',
      '  return total;',
      '}',
      'export function outer(xs: number[]) {',
      '  return total(xs);',
      '}',
      '',
    ].join('\n');
    const root = workspace({
      'src/main.ts': main,
      ...MATH_AND_FORMAT,
    });
    const at = (from: string, to = from) => deps(root, 'src/main.ts', main, from, to);
    assert.deepEqual(at('export async function lazy', 'return money'), [
      { file: 'src/format.ts', symbols: ['money'] },
      { file: 'src/math.ts', symbols: ['total'] },
    ]);
    assert.deepEqual(at("return import('./math')"), [{ file: 'src/math.ts', symbols: ['total'] }]);
    assert.deepEqual(at("return require('./format')"), [
      { file: 'src/format.ts', symbols: ['money'] },
      { file: 'src/math.ts', symbols: ['total'] },
    ]);
    assert.deepEqual(at('export function shadowedByConst', 'return total(xs);'), [], 'a local const of the same name');
    const param = lineOf(main, 'export function shadowedByParam');
    assert.deepEqual(dependsOn({ root, file: join(root, 'src/main.ts'), text: main, range: { start: param, end: param + 2 } }), [], 'a parameter of the same name');
    assert.deepEqual(at('export const arrow'), [], "an arrow function's parameter");
    assert.deepEqual(at('export const destructured'), [], 'a destructured parameter');
    assert.deepEqual(at('return { total: 1'), [], 'object keys');
    assert.deepEqual(at("import { total, unused }", "const fmt = require"), [], 'the import lines alone use nothing');
    // The shadowing ends with its block: the next function's use counts.
    const lines = main.split('\n');
    const outer = lines.indexOf('export function outer(xs: number[]) {') + 1;
    assert.deepEqual(dependsOn({ root, file: join(root, 'src/main.ts'), text: main, range: { start: outer - 4, end: outer + 2 } }), [{ file: 'src/math.ts', symbols: ['total'] }]);
  });

  it('reads JSX: components used as tags count, and closing and self-closing tags are not taken for regular expressions', () => {
    const app = [
      "import Card, { Button } from './Button';",
      "import { fmt } from './fmt';",
      '',
      'export function App() {',
      '  return <div><Button label={fmt(1)} /><Card /></div>;',
      '}',
      '',
    ].join('\n');
    const root = workspace({
      'src/App.tsx': app,
      'src/Button.tsx': 'export function Button(p: { label: string }) { return <b>{p.label}</b>; }\nexport default function Card() { return null; }\n',
      'src/fmt.ts': 'export const fmt = (n: number) => String(n);\n',
    });
    assert.deepEqual(deps(root, 'src/App.tsx', app, 'export function App', 'return <div>'), [
      { file: 'src/Button.tsx', symbols: ['Button', 'Card'] },
      { file: 'src/fmt.ts', symbols: ['fmt'] },
    ]);
    // A line a regular expression was taken to start on ends there: the next line is intact.
    const masked = maskSource('const a = b < /x;\nexport const c = 1;\n', 'js').all;
    assert.equal(masked.split('\n')[1], 'export const c = 1;');
  });

  it('names a default import by the name its file declares it with', () => {
    const main = [
      "import fetchUser from './api';",
      "import Store from './store';",
      "import anon from './anon';",
      '',
      'export const a = () => fetchUser(1);',
      'export const b = () => new Store();',
      'export const c = () => anon(1);',
      '',
    ].join('\n');
    const root = workspace({
      'src/main.ts': main,
      'src/api.ts': 'export default async function fetchUser(id: number) {\n  return id;\n}\n',
      'src/store.ts': 'class Store {}\n\nexport default Store;\n',
      'src/anon.ts': 'export default (n: number) => n;\n',
    });
    assert.deepEqual(deps(root, 'src/main.ts', main, 'export const a'), [{ file: 'src/api.ts', symbols: ['fetchUser'] }]);
    assert.deepEqual(deps(root, 'src/main.ts', main, 'export const b'), [{ file: 'src/store.ts', symbols: ['Store'] }]);
    assert.deepEqual(deps(root, 'src/main.ts', main, 'export const c'), [{ file: 'src/anon.ts', symbols: ['default'] }], 'an anonymous default export keeps the name default');
  });

  it("follows a Python package's __init__.py re-export of a name used through the package", () => {
    const mod = 'from app import sub\n\ndef b():\n    return sub.f(1)\n';
    const root = workspace({
      'app/__init__.py': '',
      'app/sub/__init__.py': 'from .impl import f\n',
      'app/sub/impl.py': 'def f(x):\n    return x\n',
      'app/mod.py': mod,
    });
    assert.deepEqual(deps(root, 'app/mod.py', mod, 'def b', 'return sub.f'), [{ file: 'app/sub/impl.py', symbols: ['f'] }]);
  });

  it('leaves out a Python name a function shadows with a parameter or an assignment', () => {
    const svc = [
      'from .utils import clean, fmt',
      '',
      'def by_param(clean):',
      '    return clean(1)',
      '',
      'def by_assignment(x):',
      '    fmt = str',
      '    return fmt(x)',
      '',
      'def by_loop(xs):',
      '    for clean in xs:',
      '        clean()',
      '',
      'def uses(x):',
      '    return clean(fmt(x))',
      '',
    ].join('\n');
    const root = workspace({ 'app/__init__.py': '', 'app/utils.py': 'def clean(x):\n    return x\n\ndef fmt(x):\n    return x\n', 'app/svc.py': svc });
    const at = (from: string, to: string) => deps(root, 'app/svc.py', svc, from, to);
    assert.deepEqual(at('def by_param', '    return clean(1)'), []);
    assert.deepEqual(at('def by_assignment', '    return fmt(x)'), []);
    assert.deepEqual(at('def by_loop', '        clean()'), []);
    assert.deepEqual(at('def uses', 'return clean(fmt'), [{ file: 'app/utils.py', symbols: ['clean', 'fmt'] }]);
    assert.deepEqual(at('from .utils import', 'from .utils import'), [], 'the import line alone uses nothing');
  });

  it('resolves Python absolute imports against sys.path-like roots, never the importing package folder', () => {
    // click's layout: src/click/types.py beside core.py, which imports the standard library's types and typing.
    const core = ['import typing as t', 'from types import TracebackType', 'from .types import ParamType', 'from click.utils import echo', '', 'def run(tb: TracebackType) -> t.Any:', '    echo(ParamType())', '    return t.cast(int, tb)', ''].join('\n');
    const root = workspace({
      'pyproject.toml': '[project]\nname = "click"\n',
      'src/click/__init__.py': '',
      'src/click/types.py': 'class ParamType:\n    pass\n',
      'src/click/typing.py': 'Any = object\n',
      'src/click/utils.py': 'def echo(x):\n    print(x)\n',
      'src/click/core.py': core,
    });
    assert.deepEqual(deps(root, 'src/click/core.py', core, 'def run', 'return t.cast'), [
      { file: 'src/click/utils.py', symbols: ['echo'] },
      { file: 'src/click/types.py', symbols: ['ParamType'] },
    ]);
    // A namespace package (no __init__.py) under a project folder of a monorepo.
    const job = 'from acme.tasks.queue import push\n\ndef go():\n    push(1)\n';
    const mono = workspace({
      'services/worker/pyproject.toml': '',
      'services/worker/acme/tasks/queue.py': 'def push(x):\n    return x\n',
      'services/worker/acme/jobs/job.py': job,
    });
    assert.deepEqual(deps(mono, 'services/worker/acme/jobs/job.py', job, 'def go', '    push(1)'), [{ file: 'services/worker/acme/tasks/queue.py', symbols: ['push'] }]);
  });

  it('hides a Python import behind a parameter of a Black-style signature, a local assignment, a lambda and a comprehension', () => {
    const svc = [
      'from . import loaders as cls',
      'from .utils import clean, fmt',
      '',
      'class Reader:',
      '    def read(',
      '        self,',
      '        clean: bool = False,',
      '        *,',
      '        limit: int = 3,',
      '    ) -> str:',
      '        if clean:',
      '            return clean',
      '        return ""',
      '',
      '    def make(self):',
      '        cls = self.factory',
      '        return cls()',
      '',
      'def mapped(xs):',
      '    return [fmt(x) for fmt in xs], list(map(lambda clean: clean + 1, xs))',
      '',
      'def used(',
      '    x,',
      '    y=fmt,',
      '):',
      '    return cls.load(clean(x), y)',
      '',
    ].join('\n');
    const root = workspace({ 'app/__init__.py': '', 'app/loaders.py': 'def load(x):\n    return x\n', 'app/utils.py': 'def clean(x):\n    return x\n\ndef fmt(x):\n    return x\n', 'app/svc.py': svc });
    const at = (from: string, to: string) => deps(root, 'app/svc.py', svc, from, to);
    assert.deepEqual(at('        if clean:', '            return clean'), []);
    assert.deepEqual(at('        cls = self.factory', '        return cls()'), []);
    assert.deepEqual(at('    return [fmt(x)', '    return [fmt(x)'), []);
    assert.deepEqual(at('def used(', '    return cls.load'), [
      { file: 'app/utils.py', symbols: ['fmt', 'clean'] },
      { file: 'app/loaders.py', symbols: ['load'] },
    ]);
  });

  it('follows (await import()).default, an alias of a namespace member, and export * as a namespace', () => {
    const main = [
      "import * as utils from './utils';",
      "import { util } from './index';",
      '',
      'const now = utils.now;',
      '',
      'export async function later() {',
      "  const load = (await import('./loader')).default;",
      '  return load(now());',
      '}',
      '',
      'export const n = () => util.size(1);',
      '',
    ].join('\n');
    const root = workspace({
      'src/main.ts': main,
      'src/utils.ts': 'export function now() {\n  return Date.now();\n}\nexport const other = 1;\n',
      'src/loader.ts': 'export default function load(x: number) {\n  return x;\n}\n',
      'src/index.ts': "export * as util from './util';\nexport * from './utils';\n",
      'src/util.ts': 'export function size(x: number) {\n  return x;\n}\n',
    });
    assert.deepEqual(deps(root, 'src/main.ts', main, 'export async function later', '  return load(now())'), [
      { file: 'src/loader.ts', symbols: ['load'] },
      { file: 'src/utils.ts', symbols: ['now'] },
    ]);
    assert.deepEqual(deps(root, 'src/main.ts', main, 'export const n'), [{ file: 'src/util.ts', symbols: ['size'] }]);
  });

  it('finds CommonJS definitions: exports.f = function, module.exports = f, and sends them', () => {
    const app = ["'use strict';", "var utils = require('./utils');", "var createServer = require('./server');", '', 'function handle(req) {', '  return createServer(utils.normalizeType(req.type));', '}', ''].join('\n');
    const utils = ["'use strict';", '', 'exports.other = function () {};', '', '/** The type, normalised. */', 'exports.normalizeType = function (type) {', '  return ~type.indexOf("/") ? type : "text/" + type;', '};', '', ...Array.from({ length: 210 }, (_, i) => `exports.f${i} = ${i};`), ''].join('\n');
    const root = workspace({ 'lib/app.js': app, 'lib/utils.js': utils, 'lib/server.js': 'module.exports = createServer;\n\nfunction createServer(h) {\n  return h;\n}\n' });
    const found = deps(root, 'lib/app.js', app, 'function handle', '}');
    assert.deepEqual(found, [
      { file: 'lib/server.js', symbols: ['createServer'] },
      { file: 'lib/utils.js', symbols: ['normalizeType'] },
    ]);
    const sent = autoContext(found, { root });
    assert.deepEqual(sent.skipped, []);
    assert.deepEqual(sent.files.find((f) => f.path === 'lib/utils.js')?.lines, { start: 5, end: 8 });
  });

  it('keeps a namespace import used as a type where a local value of the same name hides it as a value', () => {
    const main = [
      "import * as checks from './checks';",
      "import * as util from './util';",
      '',
      'export function init(inst: { checks: unknown[] }, util: number) {',
      '  const checks: checks.$ZodCheck<never>[] = inst.checks as checks.$ZodCheck[];',
      '  const n: util.Count = util + 1;',
      '  return { checks, n, c: util ? checks : null };',
      '}',
      '',
      'export function run(checks: checks.$ZodCheck[]): number {',
      '  return checks.length;',
      '}',
      '',
    ].join('\n');
    const root = workspace({
      'src/main.ts': main,
      'src/checks.ts': 'export interface $ZodCheck<T = unknown> {\n  check(x: T): void;\n}\n',
      'src/util.ts': 'export type Count = number;\nexport function count() {\n  return 1;\n}\n',
    });
    assert.deepEqual(deps(root, 'src/main.ts', main, 'export function init', '  const n: util.Count'), [
      { file: 'src/checks.ts', symbols: ['$ZodCheck'] },
      { file: 'src/util.ts', symbols: ['Count'] },
    ]);
    assert.deepEqual(deps(root, 'src/main.ts', main, '  return { checks, n'), [], 'the local values, not the namespaces');
    assert.deepEqual(deps(root, 'src/main.ts', main, 'export function run', '  return checks.length'), [{ file: 'src/checks.ts', symbols: ['$ZodCheck'] }]);
  });

  it('sends a long class by part: its declaration, constructor and the members the selection names', () => {
    const filler = (n: number, indent: string, kind: 'js' | 'py') => Array.from({ length: n }, (_, i) => (kind === 'js' ? `${indent}m${i}(): number {\n${indent}  return ${i};\n${indent}}` : `${indent}def m${i}(self):\n${indent}    return ${i}`)).join('\n\n');
    const store = ['// The store.', 'export class Store extends Base {', '  private items: string[] = [];', '', '  constructor(private readonly name: string) {', '    super();', '  }', '', filler(30, '  ', 'js'), '', '  /** Adds one. */', '  add(item: string): void {', '    this.items.push(item);', '  }', '}', ''].join('\n');
    const main = "import { Store } from './store';\n\nexport function fill(s: Store) {\n  s.add('x');\n}\n";
    const svc = ['class Store(Base):', '    """The store."""', '', '    limit = 3', '', '    def __init__(self, name):', '        self.name = name', '', filler(30, '    ', 'py'), '', '    @property', '    def add(self, item):', '        return item', ''].join('\n');
    const use = 'from .store import Store\n\ndef fill(s: Store):\n    s.add(1)\n';
    const root = workspace({ 'src/store.ts': store + '\n'.repeat(200), 'src/main.ts': main, 'app/__init__.py': '', 'app/store.py': svc + '\n'.repeat(200), 'app/use.py': use });
    const js = deps(root, 'src/main.ts', main, 'export function fill', "  s.add('x')");
    const sentJs = autoContext(js, { root, selection: { text: main, range: { start: 3, end: 5 } } });
    const storeLines = store.split('\n');
    const at = (needle: string) => storeLines.findIndex((l) => l.includes(needle)) + 1;
    assert.deepEqual(sentJs.files.map((f) => f.lines), [
      { start: 1, end: at('export class Store') },
      { start: at('constructor'), end: at('constructor') + 2 },
      { start: at('/** Adds one'), end: at('/** Adds one') + 4 },
    ]);
    const py = deps(root, 'app/use.py', use, 'def fill', '    s.add(1)');
    const sentPy = autoContext(py, { root, selection: { text: use, range: { start: 3, end: 4 } } });
    const svcLines = svc.split('\n');
    const pat = (needle: string) => svcLines.findIndex((l) => l.includes(needle)) + 1;
    assert.deepEqual(sentPy.files.map((f) => f.lines), [
      { start: 1, end: pat('The store') },
      { start: pat('def __init__'), end: pat('self.name = name') },
      { start: pat('@property'), end: pat('return item') },
    ]);
    assert.match(sentPy.files[2].text, /^ {4}@property\n {4}def add/);
  });

  it('counts a namespace member read in a spread, and sends every declaration of a merged name', () => {
    const api = ["import * as util from './util';", "import * as schemas from './schemas';", '', 'export function _void(params?: string): schemas.$ZodVoid {', '  return new schemas.$ZodVoid({ type: "void", ...util.normalizeParams(params) });', '}', ''].join('\n');
    const schemas = ['export interface $ZodVoid {', '  type: "void";', '}', '', ...Array.from({ length: 230 }, (_, i) => `export const other${i} = ${i};`), '', '/** Makes one. */', 'export const $ZodVoid = function (this: unknown, def: object) {', '  return def;', '};', ''].join('\n');
    const root = workspace({ 'src/api.ts': api, 'src/util.ts': 'export function normalizeParams(p?: string) {\n  return { p };\n}\n', 'src/schemas.ts': schemas });
    const found = deps(root, 'src/api.ts', api, 'export function _void', '}');
    assert.deepEqual(found, [
      { file: 'src/schemas.ts', symbols: ['$ZodVoid'] },
      { file: 'src/util.ts', symbols: ['normalizeParams'] },
    ]);
    const lines = schemas.split('\n');
    const at = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    assert.deepEqual(autoContext(found, { root }).files.filter((f) => f.path === 'src/schemas.ts').map((f) => f.lines), [
      { start: 1, end: 3 },
      { start: at('/** Makes one'), end: at('/** Makes one') + 3 },
    ]);
  });

  it('sends a long object a CommonJS module exports by member, as a class', () => {
    const members = Array.from({ length: 60 }, (_, i) => `  /**\n   * Field ${i}.\n   */\n  get f${i} () {\n    return ${i}\n  },`).join('\n\n');
    const response = ["'use strict'", '', '/**', ' * Prototype.', ' */', '', 'module.exports = {', members, '', '  /** Sets the status. */', '  set status (code) {', '    this.res.statusCode = code', '  }', '}', ''].join('\n');
    const app = ["const response = require('./response')", '', 'function make () {', '  const r = Object.create(response)', '  r.status = 200', '  return r', '}', ''].join('\n');
    const root = workspace({ 'lib/response.js': response, 'lib/app.js': app });
    const found = deps(root, 'lib/app.js', app, 'function make', '  return r');
    assert.deepEqual(found, [{ file: 'lib/response.js', symbols: ['default'] }]);
    const lines = response.split('\n');
    const at = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    assert.deepEqual(autoContext(found, { root, selection: { text: app, range: { start: 3, end: 7 } } }).files.map((f) => f.lines), [
      { start: at('module.exports'), end: at('module.exports') },
      { start: at('/** Sets the status'), end: at('/** Sets the status') + 4 },
    ]);
  });

  it('follows a name through an export list that has `type X as Y,` on its own line', () => {
    const link = "import type { ProcedureType } from '@acme/server';\n\nexport function op(type: ProcedureType) {\n  return type;\n}\n";
    const root = workspace({
      'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@acme/server': ['./server/src/index.ts'] } } }),
      'server/src/index.ts': "export {\n  initTRPC,\n  type ProcedureType as TRPCProcedureType,\n} from './core';\n\nexport type {\n  /**\n   * @deprecated use TRPCProcedureType\n   */\n  ProcedureType,\n} from './core';\n",
      'server/src/core.ts': "export * from './procedure';\nexport const initTRPC = 1;\n",
      'server/src/procedure.ts': "export type ProcedureType = 'query' | 'mutation';\n",
      'client/link.ts': link,
    });
    assert.deepEqual(deps(root, 'client/link.ts', link, 'export function op'), [{ file: 'server/src/procedure.ts', symbols: ['ProcedureType'] }]);
  });

  it('counts a Python import named in a return annotation or inside an annotation, after a comma', () => {
    const auth = ['import typing', 'from ._models import Request, Response, Headers', '', 'class Auth:', '    def flow(self, request: Request, h: typing.Dict[str, Headers]) -> typing.Generator[Request, Response, None]:', '        yield request', ''].join('\n');
    const root = workspace({ 'httpx/__init__.py': '', 'httpx/_models.py': 'class Request:\n    pass\n\nclass Response:\n    pass\n\nclass Headers:\n    pass\n', 'httpx/_auth.py': auth });
    assert.deepEqual(deps(root, 'httpx/_auth.py', auth, '    def flow', '        yield request'), [{ file: 'httpx/_models.py', symbols: ['Request', 'Headers', 'Response'] }]);
  });

  it('finds a function that a CommonJS module exports as a property of its exports object', () => {
    const utils = ["'use strict'", '', 'module.exports = {', ...Array.from({ length: 120 }, (_, i) => `  f${i}: function () {\n    return ${i}\n  },`), '  /** The type, normalised. */', '  normalizeType: function (type) {', '    return type', '  }', '}', ''].join('\n');
    const app = "const utils = require('./utils')\n\nfunction handle (req) {\n  return utils.normalizeType(req.type)\n}\n";
    const root = workspace({ 'lib/utils.js': utils, 'lib/app.js': app });
    const found = deps(root, 'lib/app.js', app, 'function handle', '  return utils');
    assert.deepEqual(found, [{ file: 'lib/utils.js', symbols: ['normalizeType'] }]);
    const lines = utils.split('\n');
    const at = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    const sent = autoContext(found, { root });
    assert.deepEqual(sent.skipped, []);
    assert.deepEqual(sent.files.map((f) => f.lines), [
      { start: 3, end: 3 },
      { start: at('/** The type'), end: at('/** The type') + 4 },
    ]);
  });

  it('counts a name used in a Python f-string field, and not a JS method named like an imported alias', () => {
    const types = ['from .utils import format_filename, quote', '', 'def fail(value, e):', '    return f"\'{format_filename(value)}\': {{quote}} {e.strerror}"', ''].join('\n');
    const schemas = ["import * as core from './core';", '', 'export const describe = core.describe;', '', 'export const proto = {', '  describe(description: string) {', '    return description;', '  },', '};', ''].join('\n');
    const root = workspace({
      'click/__init__.py': '',
      'click/utils.py': 'def format_filename(v):\n    return v\n\ndef quote(v):\n    return v\n',
      'click/types.py': types,
      'src/core.ts': 'export function describe(d: string) {\n  return d;\n}\n',
      'src/schemas.ts': schemas,
    });
    assert.deepEqual(deps(root, 'click/types.py', types, 'def fail', '    return f'), [{ file: 'click/utils.py', symbols: ['format_filename'] }]);
    assert.deepEqual(deps(root, 'src/schemas.ts', schemas, '  describe(description', '  },'), []);
    assert.deepEqual(deps(root, 'src/schemas.ts', schemas, 'export const describe'), [{ file: 'src/core.ts', symbols: ['describe'] }]);
  });

  it('follows tsconfig paths through extends, baseUrl, index files and re-exports', () => {
    const app = "import { User } from '@lib/models';\nimport { log } from 'shared/log';\n\nexport const greet = (u: User) => log(u.name);\n";
    const root = workspace({
      'tsconfig.base.json': '{\n  // shared options\n  "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["packages/lib/src/*"] }, },\n}\n',
      'apps/web/tsconfig.json': '{ "extends": "../../tsconfig.base.json" }',
      'apps/web/src/app.ts': app,
      'packages/lib/src/models/index.ts': "export * from './user';\nexport { Team as Group } from './team';\n",
      'packages/lib/src/models/user.ts': '/** A person. */\nexport interface User {\n  name: string;\n}\n',
      'packages/lib/src/models/team.ts': 'export class Team {}\n',
      'shared/log.ts': 'export function log(s: string) {\n  console.log(s);\n}\n',
    });
    assert.deepEqual(deps(root, 'apps/web/src/app.ts', app, 'export const greet'), [
      { file: 'packages/lib/src/models/user.ts', symbols: ['User'] },
      { file: 'shared/log.ts', symbols: ['log'] },
    ]);
  });

  it("reads ${configDir} in a shared tsconfig's paths as the folder of the tsconfig that extends it", () => {
    const page = "import { helper } from '~/helper';\nexport const x = () => helper;\n";
    const root = workspace({
      'node_modules/@acme/tsconfig/base.json': '{ "compilerOptions": { "paths": { "~/*": ["${configDir}/src/*"] } } }',
      'apps/web/tsconfig.json': '{ "extends": "@acme/tsconfig/base.json" }',
      'apps/web/src/helper.ts': 'export const helper = 1;\n',
      'apps/web/src/page.ts': page,
    });
    assert.deepEqual(deps(root, 'apps/web/src/page.ts', page, 'export const x'), [{ file: 'apps/web/src/helper.ts', symbols: ['helper'] }]);
  });

  it("resolves a workspace package through its exports, to the source of an unbuilt dist, and a linked node_modules entry", () => {
    const use = "import { parse } from '@acme/core';\nimport { fmt } from '@acme/core/format';\nimport lodash from 'lodash';\n\nexport const run = (s: string) => fmt(parse(s), lodash);\n";
    const root = workspace({
      'package.json': JSON.stringify({ private: true, workspaces: ['packages/*'] }),
      'packages/core/package.json': JSON.stringify({ name: '@acme/core', exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './*': './src/*.ts' } }),
      'packages/core/src/index.ts': 'export function parse(s: string) {\n  return s.trim();\n}\n',
      'packages/core/src/format.ts': 'export function fmt(s: string, _: unknown) {\n  return s;\n}\n',
      'packages/app/src/use.ts': use,
      'node_modules/lodash/package.json': JSON.stringify({ name: 'lodash', main: 'index.js' }),
      'node_modules/lodash/index.js': 'module.exports = {};\n',
    });
    assert.deepEqual(deps(root, 'packages/app/src/use.ts', use, 'export const run'), [
      { file: 'packages/core/src/format.ts', symbols: ['fmt'] },
      { file: 'packages/core/src/index.ts', symbols: ['parse'] },
    ]);
    // The same package reached through a symlink in node_modules, as npm and pnpm link workspaces.
    mkdirSync(join(root, 'packages/app/node_modules/@acme'), { recursive: true });
    symlinkSync(join(root, 'packages/core'), join(root, 'packages/app/node_modules/@acme/core'));
    writeFileSync(join(root, 'package.json'), '{}');
    assert.deepEqual(deps(root, 'packages/app/src/use.ts', use, 'export const run')[1], { file: 'packages/core/src/index.ts', symbols: ['parse'] });
  });

  it('resolves Python relative and package-local imports, submodules and package re-exports', () => {
    const svc = [
      'from .models import User',
      'from app import utils',
      'import app.db as db',
      'from app.config import DEBUG',
      '',
      'def create(name):',
      '    user = User(name)',
      '    db.save(utils.clean(user))',
      '    return user',
      '',
      'def local_only(x):',
      '    return x + 1',
      '',
    ].join('\n');
    const root = workspace({
      'app/__init__.py': '',
      'app/models/__init__.py': 'from .user import User\n',
      'app/models/user.py': 'class User:\n    def __init__(self, name):\n        self.name = name\n',
      'app/utils.py': 'def clean(x):\n    return x\n',
      'app/db.py': '# Storage.\ndef save(x):\n    pass\n',
      'app/config.py': 'DEBUG = False\n',
      'app/services.py': svc,
    });
    assert.deepEqual(deps(root, 'app/services.py', svc, 'def create', 'return user'), [
      { file: 'app/models/user.py', symbols: ['User'] },
      { file: 'app/db.py', symbols: ['save'] },
      { file: 'app/utils.py', symbols: ['clean'] },
    ]);
    assert.deepEqual(deps(root, 'app/services.py', svc, 'def local_only', 'return x + 1'), []);
  });

  it('finds the span of a definition, with its doc comment, and of a Python function', () => {
    const ts = 'import x from "y";\n\n/**\n * Adds.\n */\nexport function add(a: number, b: number) {\n  return a + b;\n}\n\nexport type Id =\n  | string\n  | number;\nconst other = 1;\n';
    assert.deepEqual(definitionSpan(maskSource(ts, 'js').all, 'js', 'add'), { start: 3, end: 8 });
    assert.deepEqual(definitionSpan(maskSource(ts, 'js').all, 'js', 'Id'), { start: 10, end: 12 });
    assert.equal(definitionSpan(maskSource(ts, 'js').all, 'js', 'missing'), null);
    const py = 'import os\n\n@cache\ndef f(x):\n    y = x\n\n    return y\n\nZ = 3\n';
    assert.deepEqual(definitionSpan(maskSource(py, 'python').all, 'python', 'f'), { start: 3, end: 7 });
    assert.deepEqual(definitionSpan(maskSource(py, 'python').all, 'python', 'Z'), { start: 9, end: 9 });
  });

  it('sends a small file whole, a large one as the definitions used, and keeps to the token budget', () => {
    const filler = Array.from({ length: 300 }, (_, i) => `export const pad${i} = ${i};`).join('\n');
    const root = workspace({
      'src/small.ts': 'export const one = 1;\n',
      'src/big.ts': `${filler}\n\n/** Squares. */\nexport function square(x: number) {\n  return x * x;\n}\n${filler.replace(/pad/g, 'more')}\n`,
    });
    const deps = [{ file: 'src/small.ts', symbols: ['one'] }, { file: 'src/big.ts', symbols: ['square'] }];
    const all = autoContext(deps, { root });
    assert.deepEqual(all.files.map((f) => [f.path, f.lines ?? null]), [['src/small.ts', null], ['src/big.ts', { start: 302, end: 305 }]]);
    assert.equal(all.files[1].text, '/** Squares. */\nexport function square(x: number) {\n  return x * x;\n}\n');
    assert.deepEqual(all.skipped, []);
    // A budget with room for the small file only; a file given explicitly is not sent twice and counts.
    const tight = autoContext(deps, { root, budgetTokens: 10 });
    assert.deepEqual(tight.files.map((f) => f.path), ['src/small.ts']);
    assert.deepEqual(tight.skipped, [{ file: 'src/big.ts', reason: 'over the context budget' }]);
    const explicit = autoContext(deps, { root, alreadySent: [{ path: 'src/small.ts', text: 'export const one = 1;\n' }] });
    assert.deepEqual(explicit.files.map((f) => f.path), ['src/big.ts']);
  });

  it('never follows a link out of the workspace to a file it would then send as context', () => {
    const outside = workspace({ 'credentials.py': 'aws_secret_access_key = "AKIA-outside-the-workspace"\n', 'vendored/helpers.py': 'def helper():\n    return 1\n' });
    const main = ['from creds import aws_secret_access_key', 'from lib.helpers import helper', '', 'def f():', '    return aws_secret_access_key, helper()', ''].join('\n');
    const root = workspace({ 'main.py': main, 'lib/__init__.py': '' });
    // Planted by the repository: a module and a package folder that are links to files elsewhere.
    symlinkSync(join(outside, 'credentials.py'), join(root, 'creds.py'));
    symlinkSync(join(outside, 'vendored', 'helpers.py'), join(root, 'lib', 'helpers.py'));
    const found = deps(root, 'main.py', main, 'return aws_secret_access_key');
    assert.deepEqual(found, []);
    assert.deepEqual(autoContext(found, { root }).files, []);
  });
});
