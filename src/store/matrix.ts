/**
 * The severity matrix, read and validated on every use (a malformed matrix is reported with
 * its line). Parsing YAML needs the `yaml` package, ~25 ms of loading and a tenth of `inc
 * list`: a matrix as `inc init` writes it is read by the fast reader instead, and for any
 * other this clone keeps the matrix's data in .git/inc/matrix-cache.json next to the exact
 * text it came from: while the file still holds that text (and neither inc's reader and
 * validator nor the `yaml` package changed), the data is taken from there and validated again.
 * Deleting the cache is always safe.
 */
import { join } from 'node:path';
import { FileError } from '../domain/errors.js';
import { parseSeverityMatrix, type SeverityMatrix } from '../domain/severity.js';
import { readSimpleDocument } from '../domain/simple-yaml.js';
import { readYamlFile } from '../domain/yaml-document.js';
import { buildOf, jsonExact, packageFile, readCacheFile, writeCacheFile } from './file-cache.js';
import { ifPresent, MATRIX_FILE, noMatrix, type Project, readRepoFile } from './project.js';

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

export function loadMatrix(project: Pick<Project, 'root' | 'stateDir' | 'saveCaches'>): SeverityMatrix {
  const text = ifPresent(() => readRepoFile(join(project.root, MATRIX_FILE), MATRIX_FILE));
  if (text === undefined) throw noMatrix(project.root);
  const cachePath = join(project.stateDir, CACHE_FILE);
  const build = buildOf(READER_MODULES);
  const cached = readCacheFile(cachePath) as Partial<MatrixCacheFile> | undefined;
  // Kept only after this build's severity.js accepted it (the validator is in the build), so it
  // is valid again: no line numbers, and so no `yaml`, are needed to report an error in it.
  if (build !== undefined && cached?.build === build && cached.text === text) return parseSeverityMatrix(cached.data, MATRIX_FILE);
  const fast = matrixByFastReader(text, MATRIX_FILE);
  if (fast) return fast;

  const { data, lineOf } = readYamlFile(text, MATRIX_FILE);
  const matrix = parseSeverityMatrix(data, MATRIX_FILE, lineOf);
  // A matrix with bad values is not kept: its problems need their lines, which only `yaml` gives.
  if (project.saveCaches && build !== undefined && matrix.problems.length === 0 && jsonExact(data)) writeCacheFile(cachePath, { build, text, data } satisfies MatrixCacheFile);
  return matrix;
}

/**
 * The matrix `text` holds, read without the cache: a matrix taken from another commit
 * (`inc check --config-from`) is not this clone's file. Errors name `file` as given.
 */
export function matrixFromText(text: string, file: string): SeverityMatrix {
  const fast = matrixByFastReader(text, file);
  if (fast) return fast;
  const { data, lineOf } = readYamlFile(text, file);
  return parseSeverityMatrix(data, file, lineOf);
}

/**
 * The matrix as the fast reader reads it (domain/simple-yaml.ts), where it reads the text
 * (as `yaml` would) and the matrix has no mistake: then `yaml` is not even loaded, as in CI,
 * where no cache of the matrix is at hand. A mistake is reported with its line, which only
 * `yaml` gives: undefined then, and the caller reads the text with it.
 */
function matrixByFastReader(text: string, file: string): SeverityMatrix | undefined {
  const data = readSimpleDocument(text.replace(/^\uFEFF/, ''));
  if (data === undefined) return undefined;
  try {
    const matrix = parseSeverityMatrix(data, file);
    return matrix.problems.length === 0 ? matrix : undefined;
  } catch (error) {
    if (error instanceof FileError) return undefined;
    throw error;
  }
}
