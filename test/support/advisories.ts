import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** 60 real GitHub-reviewed advisories (OSV JSON, CC-BY-4.0), kept in the repository for tests. */
export const ADVISORY_DIR = path.resolve(import.meta.dirname, '../fixtures/advisories');

export interface Advisory {
  readonly id: string;
  readonly summary?: string;
  readonly details?: string;
  readonly severity?: readonly { readonly type: string; readonly score: string }[];
  readonly database_specific?: { readonly severity?: string };
}

export const advisoryFiles = (): string[] =>
  readdirSync(ADVISORY_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => path.join(ADVISORY_DIR, name));

export const loadAdvisories = (): Advisory[] =>
  advisoryFiles().map((file) => JSON.parse(readFileSync(file, 'utf8')) as Advisory);

export const advisoryPath = (id: string): string => path.join(ADVISORY_DIR, `${id}.json`);
