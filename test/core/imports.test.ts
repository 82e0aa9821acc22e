import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';

const IMPORT = /(?:from|import)\s*\(?\s*'([^']+)'/g;

function importsOf(dir: string): Array<{ file: string; spec: string }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((file) =>
      [...readFileSync(`${dir}/${file}`, 'utf8').matchAll(IMPORT)].map((m) => ({ file, spec: m[1]! })),
    );
}

t.test('the routing core imports nothing else from src/ and no I/O: dataset/ and geography/ build on it', async (t) => {
  const outside = importsOf('src/core').filter(
    ({ spec }) => spec.startsWith('..') || /^node:(fs|net|http|worker)/.test(spec),
  );
  t.same(outside, []);
});
