/**
 * Zone names and abbreviations. Intl knows IANA names but not abbreviations, and it quietly
 * accepts a few abbreviation-like legacy names with a meaning nobody typing them intends
 * (`IST` becomes Asia/Calcutta, `PST` becomes America/Los_Angeles and then shows PDT all
 * summer). So abbreviations live in a small explicit table: each one is a fixed offset, the
 * ambiguous ones are refused with their choices, and a configured zone must be an IANA name.
 */

/** One abbreviation: its fixed offset from UTC in minutes and a zone where it is used. */
export interface Abbreviation {
  offsetMinutes: number;
  /** An IANA zone that shows this abbreviation (the one to configure instead). */
  zone: string;
  /**
   * True when `zone` shows this abbreviation for only part of the year (daylight saving):
   * a time given with it on a date when that zone showed another one is refused, since the
   * writer most likely meant the zone's clock rather than the offset.
   */
  seasonal: boolean;
}

const A = (offsetMinutes: number, zone: string, seasonal = false): Abbreviation => ({ offsetMinutes, zone, seasonal });

export const ABBREVIATIONS: Readonly<Record<string, Abbreviation>> = {
  UTC: A(0, 'UTC'),
  GMT: A(0, 'UTC'),
  WET: A(0, 'Europe/Lisbon', true),
  WEST: A(60, 'Europe/Lisbon', true),
  BST: A(60, 'Europe/London', true),
  CET: A(60, 'Europe/Paris', true),
  CEST: A(120, 'Europe/Paris', true),
  EET: A(120, 'Europe/Athens', true),
  EEST: A(180, 'Europe/Athens', true),
  MSK: A(180, 'Europe/Moscow'),
  SAST: A(120, 'Africa/Johannesburg'),
  WAT: A(60, 'Africa/Lagos'),
  CAT: A(120, 'Africa/Maputo'),
  EAT: A(180, 'Africa/Nairobi'),
  PKT: A(300, 'Asia/Karachi'),
  HKT: A(480, 'Asia/Hong_Kong'),
  SGT: A(480, 'Asia/Singapore'),
  JST: A(540, 'Asia/Tokyo'),
  KST: A(540, 'Asia/Seoul'),
  AWST: A(480, 'Australia/Perth'),
  ACST: A(570, 'Australia/Darwin'),
  ACDT: A(630, 'Australia/Adelaide', true),
  AEST: A(600, 'Australia/Brisbane'),
  AEDT: A(660, 'Australia/Sydney', true),
  NZST: A(720, 'Pacific/Auckland', true),
  NZDT: A(780, 'Pacific/Auckland', true),
  ADT: A(-180, 'America/Halifax', true),
  EST: A(-300, 'America/New_York', true),
  EDT: A(-240, 'America/New_York', true),
  CDT: A(-300, 'America/Chicago', true),
  MST: A(-420, 'America/Phoenix'),
  MDT: A(-360, 'America/Denver', true),
  PST: A(-480, 'America/Los_Angeles', true),
  PDT: A(-420, 'America/Los_Angeles', true),
  AKST: A(-540, 'America/Anchorage', true),
  AKDT: A(-480, 'America/Anchorage', true),
  HST: A(-600, 'Pacific/Honolulu'),
};

/** Abbreviations that name several zones: refused, with the choices to type instead. */
export const AMBIGUOUS_ABBREVIATIONS: Readonly<Record<string, readonly string[]>> = {
  IST: ['Asia/Kolkata (India, UTC+05:30)', 'Europe/Dublin (Ireland in summer, UTC+01:00)', 'Asia/Jerusalem (Israel, UTC+02:00)'],
  CST: ['America/Chicago (US Central, UTC−06:00)', 'Asia/Shanghai (China, UTC+08:00)', 'America/Havana (Cuba, UTC−05:00)'],
  AST: ['America/Halifax (Atlantic, UTC−04:00)', 'Asia/Riyadh (Arabia, UTC+03:00)'],
  GST: ['Asia/Dubai (Gulf, UTC+04:00)', 'Atlantic/South_Georgia (UTC−02:00)'],
  ECT: ['America/Guayaquil (Ecuador, UTC−05:00)', 'Europe/Paris (as CET, UTC+01:00)'],
  MET: ['Europe/Paris (Middle European, as CET)', 'Asia/Tehran (Middle East, UTC+03:30)'],
};

/** `UTC+05:30`, `UTC−08:00` (a real minus sign), `UTC` for zero. */
export function formatOffset(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const sign = minutes < 0 ? '−' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The ASCII offset suffix of ISO 8601: `-08:00`, `+05:30`. */
export function isoOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The choices for an ambiguous abbreviation, as a hint line. */
export function ambiguousHint(abbreviation: string, example: (zone: string) => string): string | undefined {
  const choices = AMBIGUOUS_ABBREVIATIONS[abbreviation.toUpperCase()];
  if (!choices) return undefined;
  const first = choices[0]!.split(' ')[0]!;
  return `${abbreviation.toUpperCase()} means several zones: ${choices.join('; ')}. Name the zone, as in ${example(first)}.`;
}

const ETC_GMT = /^Etc\/GMT([+-])(\d{1,2})$/i;

/**
 * The note for `Etc/GMT+2`, whose sign is POSIX's: it is two hours *behind* UTC. Undefined
 * for every other zone.
 */
export function etcGmtNote(zone: string): string | undefined {
  const m = ETC_GMT.exec(zone);
  if (!m || Number(m[2]) === 0) return undefined;
  const hours = Number(m[2]);
  const behind = m[1] === '+';
  const other = `Etc/GMT${behind ? '-' : '+'}${hours}`;
  return (
    `${zone} is ${formatOffset((behind ? -1 : 1) * hours * 60)}: the Etc/GMT names carry POSIX's inverted sign ` +
    `(${hours} h ${behind ? 'behind' : 'ahead of'} UTC). For ${formatOffset((behind ? 1 : -1) * hours * 60)} use ${other}.`
  );
}

/** Legacy zone names that read like abbreviations (and whose labels would mislead). */
const LEGACY_ABBREVIATION_ZONES = new Set(['EST', 'MST', 'HST', 'CET', 'EET', 'WET', 'MET']);

/**
 * Why a name cannot be the configured zone, with what to use instead; undefined when it can.
 * `isKnown` says whether the runtime knows an IANA name (Intl, injected to stay pure and fast).
 */
export function configuredZoneProblem(name: string, isKnown: (zone: string) => boolean): { problem: string; hint: string } | undefined {
  const upper = name.toUpperCase();
  if (upper === 'UTC' || upper === 'GMT' || upper === 'ETC/UTC' || upper === 'Z') return undefined;
  const ambiguous = AMBIGUOUS_ABBREVIATIONS[upper];
  if (ambiguous) {
    return { problem: `${name} is an ambiguous abbreviation, not a time zone`, hint: `It means one of: ${ambiguous.join('; ')}. Give the IANA name.` };
  }
  const abbreviation = ABBREVIATIONS[upper];
  if (abbreviation || LEGACY_ABBREVIATION_ZONES.has(upper)) {
    const zone = abbreviation?.zone ?? 'Europe/Paris';
    const fixed = abbreviation && abbreviation.offsetMinutes % 60 === 0 ? etcName(abbreviation.offsetMinutes) : undefined;
    const seasonal = abbreviation?.seasonal ?? true;
    return {
      problem: `${name} is an abbreviation, not a time zone${seasonal ? `: ${zone} shows it for only part of the year` : ''}`,
      hint:
        `Use the IANA name of the place, such as ${zone}${seasonal ? ' (its clock changes with daylight saving)' : ''}` +
        (fixed ? `, or ${fixed} for ${formatOffset(abbreviation!.offsetMinutes)} all year (Etc/GMT signs are inverted).` : '.'),
    };
  }
  if (!isKnown(name)) return { problem: `${name} is not a time zone name`, hint: 'Use an IANA name such as UTC, Europe/Berlin or America/Los_Angeles.' };
  return undefined;
}

/** `Etc/GMT+8` for UTC−08:00: the POSIX-signed name of a whole-hour offset. */
function etcName(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'UTC';
  return `Etc/GMT${offsetMinutes < 0 ? '+' : '-'}${Math.abs(offsetMinutes) / 60}`;
}
