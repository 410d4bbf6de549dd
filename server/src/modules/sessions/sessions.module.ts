import { Session } from './session.entity';
import { SessionResolver } from './session.resolver';
import { SessionService } from './session.service';
import { defineModule } from '../module';

/** Logins and the sessions the web app and the explorer use. */
export const sessionsModule = defineModule({
  name: 'sessions',
  entities: [Session],
  resolvers: [SessionResolver],
  services: ({ db, config }) => ({ sessions: new SessionService(db, config.sessionTtlHours) }),
});
