/**
 * One section of .inc/config.yaml (such as `publish:`) with the line of each of its keys, for
 * a capability that validates its own settings. The file is read as openProject reads it.
 */
import { join } from 'node:path';
import { readYamlFile } from '../domain/yaml-document.js';
import { CONFIG_FILE, ifPresent, type Project, readRepoFile } from './project.js';

export interface ConfigSection {
  file: string;
  value: unknown;
  lineOf: (path: (string | number)[]) => number;
}

export function readConfigSection(project: Pick<Project, 'root'>, key: string): ConfigSection {
  const text = ifPresent(() => readRepoFile(join(project.root, CONFIG_FILE), CONFIG_FILE));
  // Most configs have no such section: then the YAML package (tens of ms to load) is not needed.
  if (text === undefined || !new RegExp(`^["']?${key}["']?\\s*:`, 'm').test(text)) return { file: CONFIG_FILE, value: undefined, lineOf: () => 1 };
  const { data, lineOf } = readYamlFile(text, CONFIG_FILE);
  const value = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>)[key] : undefined;
  return { file: CONFIG_FILE, value, lineOf };
}
