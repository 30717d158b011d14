import { importsOf, type ImportStatement } from '../locality/imports';
import { maskSource, type SourceLanguage } from '../locality/mask';
import { shadowing } from '../locality/scope';

/**
 * One side of a file (original or edited) read as code: comments and strings masked the way
 * locality masks them, its import statements and the lines they cover, and where each line
 * starts. Hunks ask it for the names their lines use and the definitions they hold.
 */
export class Code {
  readonly masked: { code: string; all: string };
  readonly lines: string[];
  readonly starts: number[];
  readonly imports: ImportStatement[];
  private shadowedAt: ((use: number, name: string) => boolean) | undefined;
  private importedCache: Set<string> | undefined;

  constructor(
    text: string,
    readonly lang: SourceLanguage,
  ) {
    this.masked = maskSource(text, lang);
    this.lines = this.masked.all.split('\n');
    this.starts = new Array(this.lines.length);
    for (let i = 0, o = 0; i < this.lines.length; o += this.lines[i].length + 1, i++) this.starts[i] = o;
    this.imports = importsOf(this.masked.code, lang).filter((s) => !s.reexport);
  }

  /** 0-based line of an offset. */
  lineAt(offset: number): number {
    return lineOfOffset(this.starts, this.starts.length, offset);
  }

  /** Whether a use of `name` at `offset` means a local binding rather than the module-level one (locality's scope rules). */
  shadowed(offset: number, name: string): boolean {
    this.shadowedAt ??= shadowing(this.masked.all, this.lang, this.imports);
    return this.shadowedAt(offset, name);
  }

  /** A line that holds nothing but blanks, a comment or a string's inside (masked away): no code of its own. */
  isBlankCode(line: number): boolean {
    return !(this.lines[line] ?? '').replace(/["'`]/g, '').trim();
  }

  /** The names lines [from, to) use, with where and whether as a member (`x.name`) and of what. */
  uses(from: number, to: number): Use[] {
    const out: Use[] = [];
    const ident = this.lang === 'python' ? /[A-Za-z_]\w*/g : /[A-Za-z_$][\w$]*/g;
    for (let l = from; l < Math.min(to, this.lines.length); l++) {
      const line = this.lines[l];
      for (const m of line.matchAll(ident)) {
        const before = line.slice(0, m.index!).trimEnd();
        if (/[\w$]$/.test(line.slice(0, m.index!))) continue;
        const member = before.endsWith('.') ? (/([A-Za-z_$][\w$]*)\s*\.$/.exec(before)?.[1] ?? '') : null;
        out.push({ name: m[0], line: l, at: this.starts[l] + m.index!, member });
      }
    }
    return out;
  }

  /** Names bound by the import statements that lie within lines [from, to), and the lines those statements cover. */
  importsIn(from: number, to: number): { names: string[]; lines: Set<number> } {
    const names: string[] = [];
    const lines = new Set<number>();
    for (const s of this.imports) {
      const first = this.lineAt(s.at);
      const last = this.lineAt(Math.max(s.at, s.end - 1));
      if (last < from || first >= to) continue;
      for (let l = first; l <= last; l++) lines.add(l);
      for (const n of s.names) if (n.local !== '*') names.push(n.local);
    }
    return { names, lines };
  }

  /** Every name the module's imports bind. */
  importedNames(): Set<string> {
    return (this.importedCache ??= new Set(this.imports.flatMap((s) => s.names.map((n) => n.local))));
  }

  /** Definitions (functions, methods, classes, constants, types) that start on lines [from, to). */
  definitionsIn(from: number, to: number): Header[] {
    const out: Header[] = [];
    for (let l = Math.max(0, from); l < Math.min(to, this.lines.length); l++) {
      const d = definitionAt(this.lines[l], this.lang) ?? this.classAttribute(l);
      if (d) out.push(this.header(l, d.kind, d.name));
    }
    return out;
  }

  /** Python: `name = ...` directly in a class body, a constant its methods reach as `cls.name` or `self.name`. */
  private classAttribute(l: number): { kind: string; name: string } | null {
    if (this.lang !== 'python') return null;
    const m = /^([ \t]+)([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)/.exec(this.lines[l]);
    if (!m) return null;
    for (let k = l - 1; k >= 0; k--) {
      const t = this.lines[k];
      if (!t.trim()) continue;
      const lead = /^[ \t]*/.exec(t)![0].length;
      if (lead >= m[1].length) continue;
      return /^\s*class\b/.test(t) ? { kind: 'const', name: m[2] } : null;
    }
    return null;
  }

  private header(l: number, kind: string, name: string): Header {
    const indent = /^[ \t]*/.exec(this.lines[l])![0].length;
    const headerEnd = this.headerEnd(l);
    return { name, kind, line: l, headerEnd, end: this.bodyEnd(l, headerEnd, indent), nested: indent > 0 };
  }

  /** The last line of a header: where the brackets opened on its first line close. */
  private headerEnd(l: number): number {
    let depth = 0;
    for (let k = l; k < this.lines.length && k < l + 40; k++) {
      for (const c of this.lines[k]) depth += c === '(' || c === '[' ? 1 : c === ')' || c === ']' ? -1 : 0;
      if (depth <= 0) return k;
    }
    return l;
  }

  /** The last line of a definition's body: indentation for Python, braces for JS/TS. */
  private bodyEnd(l: number, headerEnd: number, indent: number): number {
    if (this.lang === 'python') {
      let last = headerEnd;
      for (let k = headerEnd + 1; k < this.lines.length; k++) {
        const t = this.lines[k];
        if (!t.trim()) continue;
        if (/^[ \t]*/.exec(t)![0].length <= indent) break;
        last = k;
      }
      return last;
    }
    let depth = 0;
    let opened = false;
    for (let k = l; k < this.lines.length; k++) {
      for (const c of this.lines[k]) {
        if (c === '{' || c === '(' || c === '[') (depth++, (opened = true));
        else if (c === '}' || c === ')' || c === ']') depth--;
      }
      if (opened && depth <= 0) return k;
      if (!opened && k > headerEnd && /;\s*$/.test(this.lines[k - 1] ?? '')) return k - 1;
      if (!opened && /;\s*$/.test(this.lines[k])) return k;
    }
    return this.lines.length - 1;
  }
}

/** The 0-based line holding an offset, given where each of `count` lines starts. */
export function lineOfOffset(starts: ArrayLike<number>, count: number, offset: number): number {
  let k = 0;
  for (let lo = 0, hi = count - 1; lo <= hi; ) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= offset) (k = mid), (lo = mid + 1);
    else hi = mid - 1;
  }
  return k;
}

export interface Use {
  name: string;
  /** 0-based line. */
  line: number;
  at: number;
  /** For `x.name`: `x` (empty for an expression); null for a bare name. */
  member: string | null;
}

export interface Header {
  name: string;
  kind: string;
  /** 0-based lines: the definition's first line, its header's last and its body's last. */
  line: number;
  headerEnd: number;
  end: number;
  /** Defined inside something else (a method, a local function). */
  nested: boolean;
}

/** A function or method (or a constant bound to one), whose signature its call sites depend on. */
export function isCallable(kind: string, line: string): boolean {
  return !/^(?:const|let|var|class|interface|type|enum)$/.test(kind) || /=\s*(?:async\s*)?(?:\(|function\b|[A-Za-z_$][\w$]*\s*=>)/.test(line);
}

/** The definition a masked line opens, if any: its kind (`def`, `class`, `function`, `const`, a method's empty kind) and name. */
export function definitionAt(line: string, lang: SourceLanguage): { kind: string; name: string } | null {
  if (lang === 'python') {
    const d = /^[ \t]*(?:async[ \t]+)?(def|class)[ \t]+([A-Za-z_]\w*)/.exec(line);
    if (d) return { kind: d[1], name: d[2] };
    const c = /^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)/.exec(line);
    return c ? { kind: 'const', name: c[1] } : null;
  }
  const d = JS_DECL.exec(line);
  if (d) return { kind: d[1].replace(/\s*\*$/, ''), name: d[2] };
  // A method only where it opens a body (`name(a) {`, `name(a): T {`), not a call (`name(a);`).
  const m = JS_METHOD.exec(line);
  if (!m || JS_KEYWORDS.has(m[1])) return null;
  return { kind: '', name: m[1] };
}

const JS_DECL = /^[ \t]*(?:export[ \t]+)?(?:default[ \t]+)?(?:declare[ \t]+)?(?:abstract[ \t]+)?(?:async[ \t]+)?(function\s*\*?|class|const|let|var|interface|type|enum)\s+([A-Za-z_$][\w$]*)/;
const JS_METHOD = /^[ \t]+(?:(?:public|private|protected|static|readonly|override|get|set|async)[ \t]+)*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\((?:[^;]*\)\s*(?::[^=;{]*)?\{\s*$|[^)]*$)/;
const JS_KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'with', 'super', 'else', 'do', 'try']);
