/** Vite's `?worker` imports (the root type check does not load vite/client). */
declare module '*?worker' {
  const WorkerConstructor: new () => Worker;
  export default WorkerConstructor;
}
