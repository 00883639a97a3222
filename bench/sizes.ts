/** Content script sizes of the built extension, raw and gzipped, against the size goal. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { EXT, GOALS, report } from './config';

export function contentScriptSizes() {
  const dir = join(EXT, 'content-scripts');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) {
    const bytes = readFileSync(join(dir, name));
    const gz = gzipSync(bytes, { level: 9 }).length;
    report.add({ id: `size.${name}.raw`, group: 'Content script size', label: `${name} raw`, unit: 'KB', value: bytes.length / 1024 });
    report.add({
      id: `size.${name}.gzip`,
      group: 'Content script size',
      label: `${name} gzip -9`,
      unit: 'KB',
      value: gz / 1024,
      goal: { stat: 'value', op: '<=', target: GOALS.contentGzipKB },
    });
  }
}
