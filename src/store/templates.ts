/**
 * Templates: the repository's own templates/<name> wins over the one inc ships, so a team
 * can change its postmortem or status-page wording without forking the tool.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IncError } from '../domain/errors.js';
import { readRepoFile } from './project.js';

const SHIPPED_TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

export interface Template {
  text: string;
  /** Where it came from, for messages: `templates/postmortem.md` or `inc's built-in postmortem.md`. */
  source: string;
}

export function loadTemplate(root: string, name: string): Template {
  const own = join(root, 'templates', ...name.split('/'));
  if (existsSync(own)) return { text: readRepoFile(own, `templates/${name}`), source: `templates/${name}` };
  const shipped = join(SHIPPED_TEMPLATES, ...name.split('/'));
  if (!existsSync(shipped)) throw new IncError(`no template ${name} (looked in templates/ and in inc's own)`);
  return { text: readFileSync(shipped, 'utf8'), source: `inc's built-in ${name}` };
}

export function shippedTemplate(name: string): string {
  return readFileSync(join(SHIPPED_TEMPLATES, ...name.split('/')), 'utf8');
}
