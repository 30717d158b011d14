/**
 * Scores the engine on folders of labelled cases (see ../shared/scope-corpus/README.md):
 * scope accuracy, style recall, and style false flags on clean edits, over all of them.
 * Usage: npm run corpus -- [folder ...] [--verbose]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { analyze } from '../src/core/analysis/analyze';
import { loadEditorConfig } from '../src/core/io/editorconfig';
import { readTextFile } from '../src/core/io/readText';
import { markSupporting } from '../src/core/relevance/supporting';

interface CaseFile {
  range: [number, number];
  kind: string;
  expect: { out: 0 | 1 | null; style: string[] | null };
}

const argv = process.argv.slice(2);
const verbose = argv.includes('--verbose');
const named = argv.filter((a) => !a.startsWith('--'));
const folders = named.length ? named : ['../shared/scope-corpus'];
for (const folder of folders) {
  if (!existsSync(folder)) {
    console.error(`corpus: folder ${folder} does not exist`);
    process.exit(2);
  }
}

let scopeRight = 0;
let scopeTotal = 0;
let styleHits = 0;
let styleExpected = 0;
let cleanFlagged = 0;
let cleanTotal = 0;
let cases = 0;
const problems: string[] = [];
const t0 = process.hrtime.bigint();

for (const dir of folders.flatMap((folder) => readdirSync(folder).sort().map((name) => join(folder, name)))) {
  const name = folders.length > 1 ? dir : basename(dir);
  if (!existsSync(join(dir, 'case.json'))) continue;
  const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseFile;
  const files = readdirSync(dir);
  const origName = files.find((f) => f.startsWith('original.'));
  const editName = files.find((f) => f.startsWith('edited.'));
  if (!origName || !editName) {
    problems.push(`${name}: missing original.* or edited.*`);
    continue;
  }
  cases++;
  const origPath = join(dir, origName);
  const original = readTextFile(origPath);
  const edited = readTextFile(join(dir, editName));
  const a = analyze(original, edited, {
    fileName: origPath,
    ranges: [{ start: spec.range[0], end: spec.range[1] }],
    editorConfig: loadEditorConfig(origPath),
  });
  // Scope as check and edit give it: hunks the change needs are supporting, not out.
  markSupporting([{ file: origPath, role: 'target', original, edited, analysis: a }]);
  const rules = [...new Set(a.styleDrift.map((f) => f.rule))];
  const notes: string[] = [];
  if (spec.expect.out !== null) {
    scopeTotal++;
    const got = a.outOfScopeHunks > 0 ? 1 : 0;
    if (got === spec.expect.out) scopeRight++;
    else notes.push(`scope: expected ${spec.expect.out ? 'out-of-scope hunks' : 'none out of scope'}, got ${a.outOfScopeHunks}`);
  }
  if (spec.expect.style !== null) {
    if (spec.expect.style.length === 0) {
      cleanTotal++;
      if (rules.length) {
        cleanFlagged++;
        notes.push(`false style flags: ${a.styleDrift.map((f) => `${f.rule}@${f.line}: ${f.message}`).join('; ')}`);
      }
    }
    for (const rule of spec.expect.style) {
      styleExpected++;
      if ((rules as string[]).includes(rule)) styleHits++;
      else notes.push(`style: missed ${rule} (reported: ${rules.join(', ') || 'nothing'})`);
    }
  }
  if (notes.length) problems.push(`${name}: ${notes.join(' | ')}`);
  else if (verbose) console.log(`${name}: ok (${a.outOfScopeHunks} out, ${rules.join(', ') || 'no style'})`);
}

const ms = Number(process.hrtime.bigint() - t0) / 1e6;
for (const p of problems) console.log(p);
const ratio = (x: number, n: number) => (n ? (x / n).toFixed(3) : 'n/a');
console.log(
  `corpus: ${cases} cases in ${ms.toFixed(0)} ms; scope accuracy ${ratio(scopeRight, scopeTotal)} (${scopeRight}/${scopeTotal}), ` +
    `style recall ${ratio(styleHits, styleExpected)} (${styleHits}/${styleExpected}), ` +
    `clean false flags ${cleanTotal ? ((100 * cleanFlagged) / cleanTotal).toFixed(1) : 'n/a'}% (${cleanFlagged}/${cleanTotal})`,
);
