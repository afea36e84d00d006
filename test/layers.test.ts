import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHECK_FILES = ['package.json', 'tsconfig.json', '.dependency-cruiser.cjs'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/** The arguments `npm run check` gives `tool`, read from package.json so this test runs what check runs. */
function checkArguments(tool: string): string[] {
  const check: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.check;
  const step = check
    .split('&&')
    .map((part) => part.trim().split(/\s+/))
    .find(([name]) => name === tool);
  if (!step) throw new Error(`npm run check no longer runs ${tool}`);
  return step.slice(1);
}

describe('layer rules', () => {
  it('only src/config.ts reads process.env', () => {
    const readers = sourceFiles(join(ROOT, 'src'))
      .filter((file) => /process\.env/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(readers).toEqual(['src/config.ts']);
  });

  it('npm run check rejects an import from src/interfaces into src/adapters/db', () => {
    // The probe goes into a copy of the tree in a temp dir, so the checkout's src/ is never
    // written, even when this test is killed half-way.
    const copy = mkdtempSync(join(tmpdir(), 'polaris-layers-'));
    try {
      cpSync(join(ROOT, 'src'), join(copy, 'src'), { recursive: true });
      for (const file of CHECK_FILES) cpSync(join(ROOT, file), join(copy, file));
      symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
      writeFileSync(
        join(copy, 'src/interfaces/layer-probe.ts'),
        "import { Migrator } from '../adapters/db/migrator.ts';\nexport const probe = Migrator;\n",
      );
      const run = spawnSync(join(ROOT, 'node_modules/.bin/depcruise'), checkArguments('depcruise'), {
        cwd: copy,
        encoding: 'utf8',
      });
      expect(run.status).not.toBe(0);
      expect(run.stdout).toMatch(
        /interfaces-no-db-no-emulator: src\/interfaces\/layer-probe\.ts → src\/adapters\/db\/migrator\.ts/,
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
