import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

describe('layer rules', () => {
  it('only src/config.ts reads process.env', () => {
    const readers = sourceFiles(join(ROOT, 'src'))
      .filter((file) => /process\.env/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(readers).toEqual(['src/config.ts']);
  });

  it('npm run check rejects an import from src/interfaces into src/adapters/db', () => {
    const probe = join(ROOT, 'src/interfaces/layer-probe.ts');
    writeFileSync(
      probe,
      "import { Migrator } from '../adapters/db/migrator.ts';\nexport const probe = Migrator;\n",
    );
    try {
      const run = spawnSync(
        'npx',
        ['depcruise', 'src/interfaces/layer-probe.ts', '--config', '.dependency-cruiser.cjs'],
        {
          cwd: ROOT,
          encoding: 'utf8',
        },
      );
      expect(run.status).not.toBe(0);
      expect(run.stdout).toContain('interfaces-no-db-no-emulator');
    } finally {
      rmSync(probe, { force: true });
    }
  });
});
