import { describe, expect, it } from 'vitest';
import { isIncidentId, makeIncidentId, MAX_SLUG_LENGTH, slugify } from '../../src/domain/ids.js';

describe('incident ids', () => {
  it('makes YYYY-MM-DD-<slug> from the date and title', () => {
    expect(makeIncidentId('2026-03-15', 'Payment processing outage', () => false)).toBe('2026-03-15-payment-processing-outage');
  });

  it('keeps only lower-case letters, digits and hyphens', () => {
    expect(slugify('Café: 500s on /checkout (EU) — 100%!')).toBe('cafe-500s-on-checkout-eu-100');
    expect(slugify('$(rm -rf /); `echo` ../../etc')).toBe('rm-rf-echo-etc');
    expect(slugify('🔥🔥')).toBe('incident');
    expect(slugify('שגיאה בתשלומים')).toBe('incident');
  });

  it('bounds the length and cuts at a word', () => {
    const slug = slugify('a very long title that goes on and on about the database failover in the secondary region');
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(slug.endsWith('-')).toBe(false);
    expect(isIncidentId(`2026-03-15-${slug}`)).toBe(true);
  });

  it('adds a suffix when the id exists', () => {
    const taken = new Set(['2026-03-15-db-down', '2026-03-15-db-down-2']);
    expect(makeIncidentId('2026-03-15', 'DB down', (id) => taken.has(id))).toBe('2026-03-15-db-down-3');
  });

  it('recognises only safe ids', () => {
    expect(isIncidentId('2026-03-15-db-down')).toBe(true);
    expect(isIncidentId('../2026-03-15-x')).toBe(false);
    expect(isIncidentId('2026-03-15-DB')).toBe(false);
    expect(isIncidentId('2026-03-15-')).toBe(false);
  });
});
