// The main job of the quick start: analyse the bundled example edit the way a user would
// (`editscope check`), with no API key and no network. Findings are the point here, so
// exit 1 from the command ("findings") is success for the demo.
import { spawnSync } from 'node:child_process';

const args = ['dist/cli.js', 'check', '--original', 'examples/original.ts', '--edited', 'examples/edited.ts', '--range', '13-27'];
console.log(`$ editscope ${args.slice(1).join(' ')}\n`);
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
if (r.status !== 0 && r.status !== 1) process.exit(r.status ?? 1);
