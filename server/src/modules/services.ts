import type { Database } from '../db/database';
import { ApplicationService } from './applications/application.service';
import { BusinessService } from './business/business.service';
import { AccessTemplateService } from './clients/access-template.service';
import { ClientLinkService } from './clients/client-link.service';
import { ClientService } from './clients/client.service';
import { CompanyService } from './companies/company.service';
import { EmployeeService } from './employees/employee.service';
import { KeyLifecycleService } from './keys/key-lifecycle.service';
import { KeyNetworkTracker } from './keys/key-networks';
import { KeyUsageTracker } from './keys/key-usage';
import { ClientPanelService } from './reach/client-panel.service';
import { ReachService } from './reach/reach.service';
import { UsageRecorder } from './usage/usage-recorder';
import { UsageService } from './usage/usage.service';
import { UserKeyService } from './keys/user-key.service';
import { SessionService } from './sessions/session.service';
import type { Logger } from '../shared/logger';
import type { EventSettings } from './events/event-settings';
import { createEventServices, type EventServices } from './events/event-services';

/** What of the configuration the services read (the whole `Config` of config.ts has these fields). */
export interface ServiceSettings {
  env: 'development' | 'production' | 'test';
  sessionTtlHours: number;
  /** The event engine and webhooks. */
  events: EventSettings;
}

/**
 * The attempt budgets resolvers spend before checking a password or taking a leak report (R31);
 * http/rate-limits.ts implements them, in memory or in Redis.
 */
export interface AttemptLimits {
  /** Spends a login attempt of `account` from `ip`; RATE_LIMITED when a budget is spent. */
  loginAttempt(account: string, ip: string): Promise<void>;
  /** Gives back what a successful login spent. */
  loginSucceeded(account: string, ip: string): Promise<void>;
  /** Spends a leak report of `ip`. */
  leakReport(ip: string): Promise<void>;
}

/** The domain services of one server, built once at start-up. */
export class Services {
  readonly sessions: SessionService;
  readonly companies: CompanyService;
  readonly employees: EmployeeService;
  readonly applications: ApplicationService;
  readonly userKeys: UserKeyService;
  readonly accessTemplates: AccessTemplateService;
  readonly clients: ClientService;
  readonly clientLinks: ClientLinkService;
  readonly business: BusinessService;
  readonly keyUsage: KeyUsageTracker;
  readonly keyNetworks: KeyNetworkTracker;
  readonly keyLifecycle: KeyLifecycleService;
  readonly events: EventServices;
  readonly reach: ReachService;
  readonly clientPanel: ClientPanelService;
  readonly usageRecorder: UsageRecorder;
  readonly usage: UsageService;

  constructor(
    readonly db: Database,
    readonly config: ServiceSettings,
    readonly log: Logger,
    readonly rateLimits: AttemptLimits,
  ) {
    this.sessions = new SessionService(db, config.sessionTtlHours);
    this.companies = new CompanyService(db);
    this.employees = new EmployeeService(db);
    this.applications = new ApplicationService(db);
    this.userKeys = new UserKeyService(db);
    this.accessTemplates = new AccessTemplateService(db);
    this.clients = new ClientService(db);
    this.clientLinks = new ClientLinkService(db);
    this.business = new BusinessService(db);
    this.keyUsage = new KeyUsageTracker(db, log);
    this.keyNetworks = new KeyNetworkTracker(db, log);
    this.keyLifecycle = new KeyLifecycleService(db);
    this.reach = new ReachService(db);
    this.clientPanel = new ClientPanelService(db);
    this.usageRecorder = new UsageRecorder(db, log);
    this.usage = new UsageService(db);
    this.events = createEventServices(db, config.events, log, config.env === 'production');
  }
}
