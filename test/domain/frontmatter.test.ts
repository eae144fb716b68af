import { describe, expect, it } from 'vitest';
import { parseFrontMatter } from '../../src/domain/frontmatter.js';
import { readSimpleMapping } from '../../src/domain/simple-yaml.js';
import { readYamlMapping, renderFrontMatter, updateFrontMatter } from '../../src/domain/yaml-document.js';

const parse = (text: string) => parseFrontMatter(text, 'incident.md', readYamlMapping)!;

describe('front matter', () => {
  it('reads what it writes, with the line of every key', () => {
    const text = renderFrontMatter({ id: 'x', title: 'a: "b" | c #d', services: ['api', 'db'], smes: [], drill: false, started_at: null }, '\n# Body\n');
    const fm = parse(text);
    expect(fm.data).toEqual({ id: 'x', title: 'a: "b" | c #d', services: ['api', 'db'], smes: [], drill: false, started_at: null });
    expect(fm.keyLines).toMatchObject({ id: 2, title: 3, services: 4, smes: 7 });
    expect(fm.body).toBe('\n# Body\n');
  });

  it('takes the fast path for what inc writes and declines what it cannot read exactly', () => {
    expect(readSimpleMapping('id: "x"\nservices:\n  - "a"\ntags: []\ndrill: false\n')).toBeDefined();
    for (const text of ['a: &x 1\nb: *x', 'a: |\n  text', 'a:\n  b: 1', 'a: 0o17', 'a: b # comment', 'a: yes: no']) {
      expect(readSimpleMapping(text)).toBeUndefined();
    }
  });

  it('reads YAML comments, BOM and CRLF line endings', () => {
    const fm = parse('\uFEFF---\r\n# a comment\r\ntitle: Plain title\r\nseverity: SEV2\r\n---\r\nbody\r\n');
    expect(fm.data).toEqual({ title: 'Plain title', severity: 'SEV2' });
    expect(fm.keyLines.severity).toBe(4);
  });

  it('reports empty, unterminated and missing front matter with a line', () => {
    expect(() => parse('')).toThrow('incident.md:1: the file is empty');
    expect(() => parse('---\ntitle: x\n')).toThrow('incident.md:1: the front matter that starts here has no closing "---"');
    expect(() => parse('# Title\n')).toThrow(/incident.md:1: found "# Title"; expected front matter/);
    expect(() => parse('---\ntitle: x\ntitle: y\n---\n')).toThrow(/incident.md:3: invalid YAML: Map keys must be unique/);
  });

  it('changes one field and keeps comments, order and the body', () => {
    const text = '---\n# owned by the SRE team\ntitle: Hand written\nstatus: investigating # auto\n---\nbody\n';
    const updated = updateFrontMatter(text, 'incident.md', { status: 'mitigated', mitigated_at: '2026-03-15T14:22:00Z' });
    expect(updated).toBe(
      '---\n# owned by the SRE team\ntitle: Hand written\nstatus: "mitigated" # auto\nmitigated_at: "2026-03-15T14:22:00Z"\n---\nbody\n',
    );
  });
});
