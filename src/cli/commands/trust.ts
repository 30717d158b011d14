import * as path from 'node:path';
import { InputError } from '../../core/errors';
import { DEFAULT_CONFIG_PATH, DEFAULT_PROVIDER_ID, MAX_CONFIG_BYTES, parseProvidersConfig } from '../../core/providers/config';
import { readRegularFile } from '../../core/io/readText';
import { keyVariableOf } from '../../core/providers/registry';
import { trustConfig, untrustConfig } from '../../core/providers/configTrust';
import { UsageError } from '../args';
import type { Command } from './command';

export const trustCommand: Command = {
  name: 'trust',
  summary: "Allow a folder's provider config (.editscope/config.json) to be used, as it is now",
  help: `Usage: editscope trust [<path>] [--forget]

A provider config chooses the servers your requests go to and the environment variables
their keys are read from, so one planted in a repository could send your keys anywhere.
\`edit\` and \`replay\` use the folder's ${DEFAULT_CONFIG_PATH} only once you have trusted it:
this records its real path and the hash of its content in your own config folder
(${path.join('$XDG_CONFIG_HOME', 'editscope')}, else your platform's config folder). A file
that changes needs trusting again. Read it first: this command prints what it lets through.

Trust is not needed for a config named with --config (you chose it), nor for your own
config.json in your config folder.

Arguments:
  <path>     the config to trust (default ${DEFAULT_CONFIG_PATH})

Options:
  --forget   stop trusting it

Exit status: 0 done, 2 no such file, or not a valid config.
`,
  options: { forget: {} },
  async run(args, io) {
    const [given, extra] = args.positionals;
    if (extra) throw new UsageError(`unexpected argument "${extra}"`);
    const file = path.resolve(io.cwd, given ?? DEFAULT_CONFIG_PATH);
    const shown = given ?? DEFAULT_CONFIG_PATH;
    if (args.flags.has('forget')) {
      const was = untrustConfig(file, io.env);
      io.stdout(was ? `No longer trusted: ${shown}\n` : `${shown} was not trusted\n`);
      return 0;
    }
    let bytes: Buffer;
    try {
      bytes = readRegularFile(file, 'provider config', MAX_CONFIG_BYTES);
    } catch (err) {
      throw err instanceof InputError && /does not exist$/.test(err.message) ? new InputError(`${shown} does not exist`) : err;
    }
    // Only a config that would load is worth trusting; and the user sees what it does.
    const providers = parseProvidersConfig(bytes, shown);
    const rec = trustConfig(file, io.env, bytes);
    io.stdout(`Trusted ${shown} (sha256 ${rec.hash.slice(0, 12)}), recorded in ${rec.store}\n`);
    // Each server and the key it will receive: the URL alone hides that `openai` gets OPENAI_API_KEY.
    for (const p of providers) {
      const key = keyVariableOf(p);
      const url = p.baseUrl ?? (p.id === DEFAULT_PROVIDER_ID && io.env.OPENAI_BASE_URL ? io.env.OPENAI_BASE_URL : 'https://api.openai.com/v1');
      io.stdout(`  ${p.id}: ${url}, ${key ? `receives your $${key}${io.env[key] ? '' : ' (not set now)'}` : 'receives no key'}\n`);
    }
    io.stdout('It is used until it changes; a changed file needs trusting again.\n');
    return 0;
  },
};
