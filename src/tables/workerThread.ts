import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * A worker thread running `<name>.js` beside this module, from dist/; or under tsx (tests, the CLI,
 * npm run dev) `<name>.ts`, through a bootstrap that registers tsx in the worker: a loader
 * registered with --import stays in the main thread.
 */
export function startWorker(name: string, resourceLimits?: ResourceLimits): Worker {
  const options = resourceLimits ? { resourceLimits } : {};
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, import.meta.url), options);
  const entry = new URL(`./${name}.ts`, import.meta.url).href;
  const bootstrap =
    "import('tsx/esm/api').then(({ register }) => { register(); " + `return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
