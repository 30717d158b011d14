/** Files esbuild bundles as their text (loader "text" in esbuild.config.mjs). */
declare module '*.py' {
  const source: string;
  export default source;
}

/**
 * A module of src/ bundled by esbuild into one self-contained script, as text (`./x.iife` is
 * ./x.ts bundled; see esbuild.config.mjs): code shipped to run elsewhere, such as the
 * promptfoo assertions, generated from the TypeScript rather than kept as a second copy.
 */
declare module '*.iife' {
  const source: string;
  export default source;
}
