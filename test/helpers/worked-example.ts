/** The worked example as a domain value, for pure tests: SEV1, started 14:02 ... resolved 15:00 UTC. */
import { type Incident, NO_HISTORY } from '../../src/domain/incident.js';

/** An instant of 2026-03-15 (or `day`) in UTC, from `HH:mm`. */
export const at = (hhmm: string, day = '2026-03-15') => Date.parse(`${day}T${hhmm}:00Z`);

export const PAYMENT_INCIDENT: Incident = {
  id: '2026-03-15-payment-processing-outage',
  title: 'Payment processing outage',
  severity: 'SEV1',
  status: 'resolved',
  drill: false,
  services: ['payment-service'],
  commander: 'Alice',
  communications: null,
  smes: [],
  milestones: { started: at('14:02'), detected: at('14:05'), acknowledged: at('14:06'), mitigated: at('14:22'), resolved: at('15:00') },
  tags: [],
  extra: {},
  ...NO_HISTORY,
};
