import type * as OpenAIModule from 'openai';

type Sdk = typeof OpenAIModule;
let loaded: Sdk | undefined;

/**
 * The openai SDK, loaded when a model is first called rather than when the program starts:
 * it is over half of the CLI's code, and `editscope check`, which never calls a model, would
 * parse it on every start. The CLI's bundle leaves it out (it is a dependency
 * of the package); the extension's bundle keeps it inside, evaluated on first use.
 */
export async function loadOpenaiSdk(): Promise<Sdk> {
  return (loaded ??= await import('openai'));
}

/** The SDK if a client was ever made; before that, nothing can be one of its errors. */
export function loadedOpenaiSdk(): Sdk | undefined {
  return loaded;
}
