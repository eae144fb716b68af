/** Reads and validates incident-severity.yaml on every use (a malformed matrix is reported with its line). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { IncError } from '../domain/errors.js';
import { parseSeverityMatrix, type SeverityMatrix } from '../domain/severity.js';
import { readYamlFile } from '../domain/yaml-document.js';
import { MATRIX_FILE, type Project, readRepoFile } from './project.js';

export function loadMatrix(project: Pick<Project, 'root'>): SeverityMatrix {
  const path = join(project.root, MATRIX_FILE);
  if (!existsSync(path)) {
    throw new IncError(`this repository has no ${MATRIX_FILE} (${project.root})`, 1, 'Run `inc init` first to set it up.');
  }
  const { data, lineOf } = readYamlFile(readRepoFile(path, MATRIX_FILE), MATRIX_FILE);
  return parseSeverityMatrix(data, MATRIX_FILE, lineOf);
}
