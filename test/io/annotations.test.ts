import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/domain/check.js';
import { defaultFormat, escapeData, escapeProperty, formatGithub, formatText } from '../../src/io/annotations.js';

const finding: Finding = {
  file: 'incidents/2026-03-15-payment-processing-outage/postmortem.md',
  line: 42,
  level: 'error',
  rule: 'action-item',
  message: 'action item without owner: "Add tests"',
};

describe('text format', () => {
  it('is path:line: level: message', () => {
    expect(formatText(finding)).toBe('incidents/2026-03-15-payment-processing-outage/postmortem.md:42: error: action item without owner: "Add tests"');
    expect(formatText({ ...finding, level: 'warning' }, '../postmortem.md')).toBe('../postmortem.md:42: warning: action item without owner: "Add tests"');
  });

  it('keeps one finding on one line', () => {
    expect(formatText({ ...finding, message: 'a\nb' })).toMatch(/: a b$/);
  });
});

describe('GitHub workflow annotations', () => {
  it('are ::error file=PATH,line=N,title=T::message, and ::warning for warnings', () => {
    expect(formatGithub(finding)).toBe(
      '::error file=incidents/2026-03-15-payment-processing-outage/postmortem.md,line=42,title=inc check%3A Action item::action item without owner: "Add tests"',
    );
    expect(formatGithub({ ...finding, level: 'warning', rule: 'blaming-language' })).toMatch(/^::warning file=.*,line=42,title=inc check%3A Blaming language::/);
  });

  it('escape %, CR and LF in the message, and also : and , in properties', () => {
    expect(escapeData('100% down\r\nnext: line, here')).toBe('100%25 down%0D%0Anext: line, here');
    expect(escapeProperty('a:b,c%d\ne')).toBe('a%3Ab%2Cc%25d%0Ae');
    const odd = formatGithub({ ...finding, file: 'incidents/a,b:c/postmortem.md', message: '50% of requests\nfailed' });
    expect(odd).toBe('::error file=incidents/a%2Cb%3Ac/postmortem.md,line=42,title=inc check%3A Action item::50%25 of requests%0Afailed');
  });

  it('escape % first, so an escape sequence in the text is not read as one', () => {
    expect(escapeData('%0A')).toBe('%250A');
  });

  it('are the default under GitHub Actions only', () => {
    expect(defaultFormat({ GITHUB_ACTIONS: 'true' })).toBe('github');
    expect(defaultFormat({ CI: 'true' })).toBe('text');
    expect(defaultFormat({})).toBe('text');
  });
});
