/** Files esbuild bundles as their text (loader "text" in esbuild.config.mjs). */
declare module '*.py' {
  const source: string;
  export default source;
}
