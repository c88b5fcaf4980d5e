// Runner for the variant suite: `node tests/variants/run.js [dist-dir]`.
// Uses LINKEDOUT_EXTENSION (or the argument, default dist/chrome); VARIANT=<substring> runs only matching variants.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const env = { ...process.env };
if (process.argv[2]) env.LINKEDOUT_EXTENSION = resolve(process.argv[2]);
const shards = ['shard-1.test.js', 'shard-2.test.js'].map((f) => join(here, f));
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...shards], {
  stdio: 'inherit', env,
});
process.exit(result.status ?? 1);
