/** Plain-text templates with `{{name}}` placeholders, as files a repository can override. */

export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/gi, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name]! : whole,
  );
}
