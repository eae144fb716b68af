/**
 * The severity matrix for list and stats without the `yaml` package: loading it and parsing
 * the matrix costs ~30 ms, a tenth of `inc list`. This clone keeps the matrix's YAML data in
 * .git/inc/matrix-cache.json next to the exact text it came from; while the file still holds
 * that text (and neither inc's YAML reader nor the `yaml` package changed), the data is taken
 * from there and validated again as loadMatrix does. Deleting the cache is always safe.
 */
import { join } from 'node:path';
import { parseSeverityMatrix, type SeverityMatrix } from '../domain/severity.js';
import { buildOf, jsonExact, packageFile, readCacheFile, writeCacheFile } from './file-cache.js';
import { MATRIX_FILE, type Project, readRepoFile } from './project.js';

const CACHE_FILE = 'matrix-cache.json';
/**
 * What turns the text into data and decides that the data is a valid matrix: a rebuilt reader
 * or validator, or another `yaml` release, starts afresh.
 */
const READER_MODULES = [
  new URL('../domain/yaml-document.js', import.meta.url),
  new URL('../domain/severity.js', import.meta.url),
  packageFile('yaml/package.json'),
  new URL(import.meta.url),
];

interface MatrixCacheFile {
  build: string;
  text: string;
  data: unknown;
}

/** The same matrix, and the same errors, as loadMatrix (store/matrix.ts). */
export async function loadMatrixCached(project: Pick<Project, 'root' | 'stateDir'>): Promise<SeverityMatrix> {
  let text: string;
  try {
    text = readRepoFile(join(project.root, MATRIX_FILE), MATRIX_FILE);
  } catch {
    // Missing, a link out of the repository, too large: loadMatrix says so in its own words.
    const { loadMatrix } = await import('./matrix.js');
    return loadMatrix(project);
  }
  const cachePath = join(project.stateDir, CACHE_FILE);
  const build = buildOf(READER_MODULES);
  const cached = readCacheFile(cachePath) as Partial<MatrixCacheFile> | undefined;
  // Kept only after this build's severity.js accepted it (the validator is in the build), so it
  // is valid again: no line numbers, and so no `yaml`, are needed to report an error in it.
  if (build !== undefined && cached?.build === build && cached.text === text) return parseSeverityMatrix(cached.data, MATRIX_FILE);

  const { readYamlFile } = await import('../domain/yaml-document.js');
  const { data, lineOf } = readYamlFile(text, MATRIX_FILE);
  const matrix = parseSeverityMatrix(data, MATRIX_FILE, lineOf);
  if (build !== undefined && jsonExact(data)) writeCacheFile(cachePath, { build, text, data } satisfies MatrixCacheFile);
  return matrix;
}
