import type { Config } from '../config';
import type { Database } from '../db/database';
import type { RateLimits } from '../http/rate-limits';
import { ApplicationService } from '../modules/applications/application.service';
import { BusinessService } from '../modules/business/business.service';
import { AccessTemplateService } from '../modules/clients/access-template.service';
import { ClientLinkService } from '../modules/clients/client-link.service';
import { ClientService } from '../modules/clients/client.service';
import { CompanyService } from '../modules/companies/company.service';
import { EmployeeService } from '../modules/employees/employee.service';
import { KeyUsageTracker } from '../modules/keys/key-usage';
import { ClientPanelService } from '../modules/reach/client-panel.service';
import { ReachService } from '../modules/reach/reach.service';
import { UsageRecorder } from '../modules/usage/usage-recorder';
import { UsageService } from '../modules/usage/usage.service';
import { UserKeyService } from '../modules/keys/user-key.service';
import { SessionService } from '../modules/sessions/session.service';
import type { Logger } from '../shared/logger';
import { createEventServices, type EventServices } from '../modules/events/event-services';

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
  readonly events: EventServices;
  readonly reach: ReachService;
  readonly clientPanel: ClientPanelService;
  readonly usageRecorder: UsageRecorder;
  readonly usage: UsageService;

  constructor(
    readonly db: Database,
    readonly config: Config,
    readonly log: Logger,
    readonly rateLimits: RateLimits,
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
    this.reach = new ReachService(db);
    this.clientPanel = new ClientPanelService(db);
    this.usageRecorder = new UsageRecorder(db, log);
    this.usage = new UsageService(db);
    this.events = createEventServices(db, config.events, log, config.env === 'production');
  }
}
