/** Vite's `?raw` imports: a file's text, used to feed real recorded fixtures to Worker tests. */
declare module "*?raw" {
  const text: string;
  export default text;
}
