import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type IConfiguration, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The dependency rules of `npm run lint:deps` (.dependency-cruiser*.cjs) run on a small tree that breaks each of
 * them once, beside imports they must allow: proof that the check in npm test can fail, and fails for the right reason.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const layering = require(join(ROOT, '.dependency-cruiser.cjs')) as IConfiguration;
const contentRuntime = require(join(ROOT, '.dependency-cruiser.content.cjs')) as IConfiguration;

const tree: Record<string, string> = {
  // A cycle through a type-only import (as lib/detect had): still a cycle.
  'lib/detect/extract.ts': "import { readArxiv } from './arxiv';\nexport type Reader = () => string;\nexport const read = () => readArxiv();\n",
  'lib/detect/arxiv.ts': "import type { Reader } from './extract';\nexport const readArxiv: Reader = () => 'paper';\n",
  // lib/ reaching up into the UI and into build-time code.
  'lib/ui-leak.ts': "import { Button } from '../components/Button';\nexport const leak = Button;\n",
  'lib/uses-script.ts': "import { build } from '../scripts/build';\nexport const built = build();\n",
  'scripts/build.ts': "import { schema } from '../lib/schema';\nexport const build = () => schema;\n",
  // components/ reaching into an entrypoint.
  'components/Button.tsx': "import { pageName } from '../entrypoints/popup/main';\nexport const Button = () => pageName;\n",
  'entrypoints/popup/main.ts': "import { schema } from '../../lib/schema';\nexport const pageName = String(schema);\n",
  // zod at run time in a content script, two imports away; type-only zod is fine.
  'lib/schema.ts': "import { z } from 'zod';\nexport const schema = z.string();\nexport type Text = z.infer<typeof schema>;\n",
  'lib/contract-types.ts': "import type { Text } from './schema';\nexport const check = (t: unknown): t is Text => typeof t === 'string';\n",
  'lib/validate.ts': "import { schema } from './schema';\nexport const valid = (t: unknown) => schema.safeParse(t).success;\n",
  'entrypoints/good.content/index.ts': "import { check } from '../../lib/contract-types';\nexport default check;\n",
  'entrypoints/bad.content/index.ts': "import { valid } from '../../lib/validate';\nexport default valid;\n",
  // Allowed: tests and scripts import lib.
  'tests/unit/x.test.ts': "import { schema } from '../../lib/schema';\nexport default schema;\n",
};

const dir = mkdtempSync(join(tmpdir(), 'margin-deps-'));
for (const [path, text] of Object.entries(tree)) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}
symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function violations(config: IConfiguration, roots: string[]): Promise<string[]> {
  const { tsConfig: _projectTsConfig, ...options } = config.options ?? {};
  const result = await cruise(roots, { ...options, baseDir: dir, ruleSet: { forbidden: config.forbidden }, validate: true, outputType: 'json' });
  const output = typeof result.output === 'string' ? (JSON.parse(result.output) as ICruiseResult) : result.output;
  const found = output.summary.violations.map((v: IViolation) => `${v.rule.name}: ${v.from} → ${v.to}`);
  return [...new Set(found)].sort();
}

describe('dependency rules (npm run lint:deps)', () => {
  it('flag a cycle, lib importing UI or build code, and components importing an entrypoint; allow the rest', async () => {
    expect(await violations(layering, ['lib', 'components', 'entrypoints', 'scripts', 'tests'])).toEqual([
      'components-not-to-entrypoints: components/Button.tsx → entrypoints/popup/main.ts',
      'lib-not-to-ui: lib/ui-leak.ts → components/Button.tsx',
      'no-circular: lib/detect/arxiv.ts → lib/detect/extract.ts',
      'shipped-not-to-build-time: lib/uses-script.ts → scripts/build.ts',
    ]);
  });

  it('flag zod reached at run time from a content script, not a type-only import of it', async () => {
    const found = await violations(contentRuntime, ['entrypoints']);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^content-scripts-no-zod: entrypoints\/bad\.content\/index\.ts → node_modules\/zod\//);
  });
});
