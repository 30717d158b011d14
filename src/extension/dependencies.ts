import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LineRange } from '../core/analysis/analysisTypes';
import { dependsOn } from '../core/locality/dependsOn';
import { sourceLanguageOf } from '../core/locality/mask';
import type { Dependency } from '../core/task/editTask';
import { maskSource } from '../core/locality/mask';
import { isInsideRelative, realOrNearest } from '../core/io/readText';
import type { WorkspaceFs } from '../core/locality/workspaceFs';
import { folderOf } from './settings';

/** Names asked of the language server at most, and how long it may take for all of them. */
const MAX_NAMES = 40;
const DEFINITION_TIMEOUT_MS = 1500;

/**
 * What the selection depends on: the imports Edit Scope resolves itself, plus what the
 * language server's definition provider finds for the other names the selection uses
 * (globals declared elsewhere, paths only the project's own config knows).
 */
export async function selectionDependencies(doc: vscode.TextDocument, range: LineRange, fs?: WorkspaceFs): Promise<Dependency[]> {
  const root = folderOf(doc.uri);
  if (!root || doc.uri.scheme !== 'file') return [];
  const text = doc.getText();
  const found = dependsOn({ root, file: doc.uri.fsPath, text, range, fs });
  const lang = sourceLanguageOf(doc.uri.fsPath);
  if (!lang) return found;
  const known = new Set(found.flatMap((d) => d.symbols));
  const names = namesIn(maskSource(text, lang).all, range).filter((n) => !known.has(n.name)).slice(0, MAX_NAMES);
  const lookups = names.map(async (n) => {
    const pos = new vscode.Position(n.line, n.character);
    const locs = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', doc.uri, pos).then(
      (x) => x ?? [],
      () => [],
    );
    return locs.map((l) => ({ uri: 'targetUri' in l ? l.targetUri : l.uri, name: n.name }));
  });
  const timeout = new Promise<Array<Array<{ uri: vscode.Uri; name: string }>>>((resolve) => setTimeout(() => resolve([]), DEFINITION_TIMEOUT_MS));
  const hits = (await Promise.race([Promise.all(lookups), timeout])).flat();
  const byFile = new Map(found.map((d) => [d.file, [...d.symbols]]));
  for (const h of hits) {
    if (h.uri.scheme !== 'file' || h.uri.fsPath === doc.uri.fsPath) continue;
    // A workspace opened through a link: the language server may answer with real paths.
    let rel = path.relative(root, h.uri.fsPath);
    if (!isInsideRelative(rel)) rel = path.relative(realOrNearest(root), realOrNearest(h.uri.fsPath));
    if (!isInsideRelative(rel) || rel.split(path.sep).includes('node_modules')) continue;
    const file = rel.split(path.sep).join('/');
    const symbols = byFile.get(file) ?? [];
    if (!symbols.includes(h.name)) symbols.push(h.name);
    byFile.set(file, symbols);
  }
  return [...byFile].map(([file, symbols]) => ({ file, symbols }));
}

/** Identifiers of the selected lines, once each, not members of something else and not keywords. */
function namesIn(masked: string, range: LineRange): Array<{ name: string; line: number; character: number }> {
  const lines = masked.split('\n').slice(range.start - 1, range.end);
  const seen = new Set<string>();
  const out: Array<{ name: string; line: number; character: number }> = [];
  lines.forEach((l, i) => {
    for (const m of l.matchAll(/[A-Za-z_$][\w$]*/g)) {
      const name = m[0];
      if (seen.has(name) || KEYWORDS.has(name) || /\.\s*$/.test(l.slice(0, m.index))) continue;
      seen.add(name);
      out.push({ name, line: range.start - 1 + i, character: m.index! });
    }
  });
  return out;
}

const KEYWORDS = new Set(
  (
    'break case catch class const continue debugger default delete do else export extends finally for function if import in instanceof let new return super switch this throw try typeof var void while with yield ' +
    'async await of as from type interface enum implements private protected public readonly static abstract declare namespace true false null undefined ' +
    'def elif except lambda nonlocal global pass raise and or not is None True False self cls print len range str int float list dict set tuple'
  ).split(' '),
);
