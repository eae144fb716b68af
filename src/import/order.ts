/**
 * Imported milestones that break the order rules (a backfilled status page shows the cause
 * identified before the incident was declared) are not stored: the one the source states
 * least directly is left empty, and the reader is told why. Detection and resolution are
 * what every source records plainly, so they are kept over the others.
 */
import { type Milestone, milestoneConflicts, milestoneKey, type Milestones } from '../domain/incident.js';
import { toIsoUtc } from '../domain/time.js';
import type { Unread } from './types.js';

/** Kept first when two milestones conflict. */
const KEEP_ORDER: Milestone[] = ['detected', 'resolved', 'started', 'mitigated', 'identified', 'acknowledged'];

export function keepOrdered(milestones: Milestones, where: string, key: string, unread: Unread[]): Milestones {
  const kept = { ...milestones };
  for (let conflict = milestoneConflicts(kept)[0]; conflict; conflict = milestoneConflicts(kept)[0]) {
    const drop = KEEP_ORDER.indexOf(conflict.earlier) > KEEP_ORDER.indexOf(conflict.later) ? conflict.earlier : conflict.later;
    unread.push({
      where,
      key,
      why: `${milestoneKey(drop)} ${toIsoUtc(kept[drop]!)} left empty: ${conflict.message}, which cannot be (set it with \`inc milestone ${drop}\` once known)`,
    });
    delete kept[drop];
  }
  return kept;
}
