/** Vite's `?raw` suffix: the file's text as a string (used for the bridge's browser shim). */
declare module '*?raw' {
  const source: string;
  export default source;
}
