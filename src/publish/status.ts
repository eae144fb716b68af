/**
 * The state of each service right now: the worst that the open, unmitigated incidents
 * affecting it do to it (each severity's `service_status` in the matrix), or maintenance
 * while a planned window is on. A mitigated incident still shows as open ("monitoring") but
 * no longer takes its services down. Drills never touch a status page.
 */
import { SERVICE_STATUSES, serviceStatusOf, type ServiceStatus, type SeverityMatrix } from '../domain/severity.js';
import type { Maintenance, PublishConfig } from './config.js';
import type { SiteIncident } from './model.js';

export type ServiceState = ServiceStatus | 'maintenance';

export interface ServiceView {
  name: string;
  state: ServiceState;
  /** The incidents that give it that state, worst first. */
  incidents: SiteIncident[];
  maintenance: Maintenance[];
}

export const STATE_LABEL: Record<ServiceState, string> = {
  down: 'Major outage',
  partial: 'Partial outage',
  degraded: 'Degraded performance',
  operational: 'Operational',
  maintenance: 'Under maintenance',
};

/** Statuspage's component status for each state. */
export const COMPONENT_STATUS: Record<ServiceState, string> = {
  down: 'major_outage',
  partial: 'partial_outage',
  degraded: 'degraded_performance',
  operational: 'operational',
  maintenance: 'under_maintenance',
};

/** Statuspage's incident impact for the state a severity gives its services. */
export const IMPACT: Record<ServiceStatus, 'critical' | 'major' | 'minor' | 'none'> = {
  down: 'critical',
  partial: 'major',
  degraded: 'minor',
  operational: 'none',
};

const rank = (status: ServiceStatus) => SERVICE_STATUSES.indexOf(status);

/** Investigating or identified, not a drill: its services feel it. */
export function isAffecting(incident: SiteIncident): boolean {
  return incident.open && !incident.drill && (incident.status === 'investigating' || incident.status === 'identified');
}

export function incidentServiceStatus(incident: SiteIncident, matrix: SeverityMatrix): ServiceStatus {
  return serviceStatusOf(matrix, incident.level);
}

export function activeMaintenance(config: PublishConfig, now: number): Maintenance[] {
  return config.maintenance.filter((m) => m.startsAt <= now && now < m.endsAt);
}

export function serviceViews(incidents: SiteIncident[], matrix: SeverityMatrix, config: PublishConfig, now: number): ServiceView[] {
  const seen = new Set<string>();
  for (const incident of incidents) for (const service of incident.services) seen.add(service);
  for (const m of config.maintenance) for (const service of m.services) seen.add(service);
  const names = [...config.services, ...[...seen].filter((s) => !config.services.includes(s)).sort()];
  const active = activeMaintenance(config, now);
  const affecting = incidents.filter(isAffecting);
  return names.map((name) => {
    const hitting = affecting
      .filter((incident) => incident.services.includes(name))
      .sort((a, b) => rank(incidentServiceStatus(a, matrix)) - rank(incidentServiceStatus(b, matrix)));
    const worst = hitting.length > 0 ? incidentServiceStatus(hitting[0]!, matrix) : 'operational';
    const maintenance = active.filter((m) => m.services.includes(name));
    const state: ServiceState = worst === 'operational' && maintenance.length > 0 ? 'maintenance' : worst;
    return { name, state, incidents: hitting, maintenance };
  });
}

/** The page's overall state: the worst of its services. */
export function overallState(services: ServiceView[]): ServiceState {
  const order: ServiceState[] = ['down', 'partial', 'degraded', 'maintenance', 'operational'];
  return order.find((state) => services.some((s) => s.state === state)) ?? 'operational';
}

export const OVERALL_TEXT: Record<ServiceState, string> = {
  down: 'Major System Outage',
  partial: 'Partial System Outage',
  degraded: 'Minor Service Outage',
  maintenance: 'Service Under Maintenance',
  operational: 'All Systems Operational',
};
