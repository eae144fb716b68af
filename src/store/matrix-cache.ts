/** loadMatrix under the name list and stats import: it takes the matrix from its cache itself (store/matrix.ts). */
import type { SeverityMatrix } from '../domain/severity.js';
import { loadMatrix } from './matrix.js';
import type { Project } from './project.js';

export async function loadMatrixCached(project: Pick<Project, 'root' | 'stateDir'>): Promise<SeverityMatrix> {
  return loadMatrix(project);
}
