import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const COMPOSITION_ROOT = path.join('src', 'main.ts');
const FORBIDDEN =
  /from\s+['"](@slack\/[^'"]*|discord\.js|@discordjs\/[^'"]*|drizzle-orm[^'"]*|postgres|@electric-sql\/[^'"]*)['"]/g;
const OUTWARD = /from\s+['"](\.\.\/)+(adapters|db)\//g;

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });

const coreFiles = sourceFiles(path.join(ROOT, 'src')).filter(
  (file) => path.relative(ROOT, file) !== COMPOSITION_ROOT,
);

describe('the core under src/', () => {
  it('has files to check', () => {
    expect(coreFiles.length).toBeGreaterThan(10);
  });

  it.each(coreFiles.map((file) => [path.relative(ROOT, file), file]))(
    '%s imports no platform SDK, ORM or database driver',
    (_name, file) => {
      const source = readFileSync(file, 'utf8');
      expect(source.match(FORBIDDEN) ?? []).toEqual([]);
    },
  );

  it.each(coreFiles.map((file) => [path.relative(ROOT, file), file]))(
    '%s does not reach out to adapters/ or db/',
    (_name, file) => {
      const source = readFileSync(file, 'utf8');
      expect(source.match(OUTWARD) ?? []).toEqual([]);
    },
  );

  it('the rule catches a forbidden import', () => {
    expect("import { App } from '@slack/bolt';".match(FORBIDDEN)).not.toBeNull();
    expect("import { eq } from 'drizzle-orm/pg-core';".match(FORBIDDEN)).not.toBeNull();
    expect("import postgres from 'postgres';".match(FORBIDDEN)).not.toBeNull();
    expect("import { x } from '../../db/client.ts';".match(OUTWARD)).not.toBeNull();
  });
});
