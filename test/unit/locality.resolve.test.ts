import * as assert from 'node:assert/strict';
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { JsResolver } from '../../src/core/locality/resolveJs';
import { WorkspaceFs } from '../../src/core/locality/workspaceFs';
import { workspace } from './locality.dependsOn.test';

/**
 * Edit Scope resolves imports itself (the extension does not ship the compiler), so its answers
 * are held to the compiler's: each specifier below is resolved by TypeScript's own
 * resolveModuleName, with the workspace's tsconfig, and by Edit Scope, and both must name the same file.
 */
describe('locality: module resolution agrees with TypeScript', () => {
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'app', private: true, workspaces: ['packages/*'], imports: { '#ansi-styles': './src/vendor/ansi/index.js', '#env': { node: './src/env/node.ts', default: './src/env/browser.ts' }, '#internal/*': './src/internal/*.ts' } }),
    'tsconfig.base.json': JSON.stringify({ compilerOptions: { module: 'esnext', moduleResolution: 'bundler', allowJs: true, customConditions: ['@acme/source'], baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] } } }),
    'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json' }),
    'src/main.ts': '',
    'src/types.d.ts': '',
    'src/vendor/ansi/index.js': '',
    'src/env/node.ts': '',
    'src/env/browser.ts': '',
    'src/internal/deep.ts': '',
    'src/lib/strings.ts': '',
    'src/util.ts': '',
    'src/typings.d.ts': '',
    'src/folder/index.ts': '',
    'packages/core/package.json': JSON.stringify({
      name: '@acme/core',
      exports: { '.': { '@acme/source': './src/index.ts', types: './dist/index.d.ts', import: './dist/index.js' }, './utils/*': { '@acme/source': './src/utils/*.ts', default: './dist/utils/*.js' }, './package.json': './package.json' },
    }),
    'packages/core/src/index.ts': '',
    'packages/core/src/utils/date.ts': '',
    'packages/esm/package.json': JSON.stringify({ name: '@acme/esm', exports: { import: './esm/index.js', types: './types/index.d.ts' } }),
    'packages/esm/esm/index.js': '',
    'packages/esm/types/index.d.ts': '',
  };
  const cases: Array<[from: string, specifier: string]> = [
    ['src/main.ts', '#ansi-styles'],
    ['src/main.ts', '#env'],
    ['src/main.ts', '#internal/deep'],
    ['src/main.ts', '@lib/strings'],
    ['src/main.ts', './util.js'],
    ['src/main.ts', './folder'],
    ['src/types.d.ts', './typings.js'],
    ['src/main.ts', '@acme/core'],
    ['src/main.ts', '@acme/core/utils/date'],
    ['src/main.ts', '@acme/esm'],
  ];

  it('for package imports, exports with custom conditions and patterns, paths, extensions and typings', () => {
    const root = realpathSync(workspace(files));
    // Workspace packages linked into node_modules, as npm and pnpm do.
    mkdirSync(join(root, 'node_modules/@acme'), { recursive: true });
    symlinkSync(join(root, 'packages/core'), join(root, 'node_modules/@acme/core'));
    symlinkSync(join(root, 'packages/esm'), join(root, 'node_modules/@acme/esm'));
    const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const ours = new JsResolver(new WorkspaceFs(root));
    for (const [from, specifier] of cases) {
      const theirs = ts.resolveModuleName(specifier, join(root, from), config.options, ts.sys).resolvedModule?.resolvedFileName;
      assert.ok(theirs, `TypeScript resolves ${specifier} from ${from}`);
      assert.equal(ours.resolve(specifier, join(root, from)), realpathSync(theirs), `${specifier} from ${from}`);
    }
  });
});
