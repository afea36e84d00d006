import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/interfaces/cli/program.ts';
import type { CliRuntime } from '../src/interfaces/cli/runtime.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DOCS = ['README.md', 'ARCHITECTURE.md', 'RUNBOOK.md'];
const TOP = /^(src|test|bench|migrations|docs|scripts|bin|\.ci)\//;
// ARCHITECTURE.md names files inside src/ by their layer: `services/billing/…`.
const LAYER = /^(domain|services|adapters|interfaces|emulator|wiring)\//;

// Paragraphs, so a command the text itself calls "not built yet" is not taken for a promise.
const paragraphs = (doc: string) => readFileSync(`${ROOT}${doc}`, 'utf8').split(/\n\s*\n/);

/** Every repository path a document names in code spans or links (runtime paths like .polaris/ are not files here). */
function citedPaths(doc: string): string[] {
  const text = readFileSync(`${ROOT}${doc}`, 'utf8');
  const spans = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? '');
  const links = [...text.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)].map((m) => m[1] ?? '');
  const words = [...spans.flatMap((s) => s.split(/\s+/)), ...links];
  return [
    ...new Set(
      words
        .map((w) => w.replace(/[),.;:]+$/, '').replace(/^\.\//, ''))
        .map((w) => (LAYER.test(w) ? `src/${w}` : w))
        .filter((w) => TOP.test(w) && /^[\w./-]+$/.test(w) && !w.includes('*')),
    ),
  ];
}

/** Every `polaris …` command a document cites outside a paragraph that says it is not built yet. */
function citedCommands(doc: string): string[][] {
  const found: string[][] = [];
  for (const paragraph of paragraphs(doc)) {
    if (/not built( yet)?/i.test(paragraph)) continue;
    for (const m of paragraph.matchAll(/\bpolaris((?: [a-z][a-z-]*)+)/g)) {
      found.push((m[1] ?? '').trim().split(' '));
    }
  }
  return found;
}

/**
 * Every `polaris …` command a document cites with the options written after it, up to the end of
 * its code span, a shell comment or the line, outside paragraphs that say "not built yet".
 */
function citedOptions(doc: string): { words: string[]; options: string[] }[] {
  const found: { words: string[]; options: string[] }[] = [];
  for (const paragraph of paragraphs(doc)) {
    if (/not built( yet)?/i.test(paragraph)) continue;
    for (const line of paragraph.split('\n')) {
      for (const m of line.matchAll(/\bpolaris((?: [a-z][a-z-]*)+)/g)) {
        const rest = line.slice((m.index ?? 0) + m[0].length).split(/`| #/)[0] ?? '';
        const options = [...rest.matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)].map((o) => o[1] ?? '');
        if (options.length > 0) found.push({ words: (m[1] ?? '').trim().split(' '), options });
      }
    }
  }
  return found;
}

// The command the words reach (arguments after a leaf are not commands), and every option it and its parents take.
function optionsOf(program: Command, words: string[]): string[] {
  let command = program;
  const options = ['--help', ...program.options.map((o) => o.long ?? '')];
  for (const word of words) {
    const next = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!next) break;
    command = next;
    options.push(...command.options.map((o) => o.long ?? ''));
  }
  return options;
}

// Walks the real command tree: each word must be a subcommand while the command has any.
function resolves(program: Command, words: string[]): boolean {
  let command = program;
  for (const word of words) {
    if (command.commands.length === 0) return true;
    const next = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!next) return false;
    command = next;
  }
  return command.commands.length === 0 || words.length > 0;
}

describe('README, ARCHITECTURE and RUNBOOK cite only what exists', () => {
  const program = buildProgram({} as CliRuntime);

  it.each(DOCS)('every file path %s names exists', (doc) => {
    const paths = citedPaths(doc);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((p) => !existsSync(`${ROOT}${p}`))).toEqual([]);
  });

  it.each(DOCS)('every polaris command %s cites is a real command', (doc) => {
    const commands = citedCommands(doc);
    expect(
      commands.filter((words) => !resolves(program, words)).map((w) => `polaris ${w.join(' ')}`),
    ).toEqual([]);
  });

  it.each(DOCS)('every option %s writes after a polaris command is one that command takes', (doc) => {
    const unknown = citedOptions(doc).flatMap(({ words, options }) =>
      options
        .filter((o) => !optionsOf(program, words).includes(o))
        .map((o) => `polaris ${words.join(' ')} ${o}`),
    );
    expect(unknown).toEqual([]);
  });

  it('the checks catch a missing file and an unknown command', () => {
    expect(existsSync(`${ROOT}src/no-such-file.ts`)).toBe(false);
    expect(resolves(program, ['db', 'status'])).toBe(true);
    expect(resolves(program, ['db', 'teleport'])).toBe(false);
    expect(resolves(program, ['teleport'])).toBe(false);
    expect(optionsOf(program, ['db', 'rollback'])).toEqual(expect.arrayContaining(['--no-backup', '--json']));
    expect(optionsOf(program, ['db', 'status'])).not.toContain('--no-backup');
    expect(resolves(program, ['teleport'])).toBe(false);
  });
});
