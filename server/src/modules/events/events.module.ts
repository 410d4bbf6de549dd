import { EVENT_ENTITIES } from './event-entities';
import { EVENT_RESOLVERS } from './event-resolvers';
import { createEventServices } from './event-services';
import { defineModule } from '../module';

/** Access events (the outbox and the feed), the sweeps, and webhooks. */
export const eventsModule = defineModule({
  name: 'events',
  entities: EVENT_ENTITIES,
  resolvers: EVENT_RESOLVERS,
  services: ({ db, config, log }) => ({
    events: createEventServices(db, config.events, log, config.env === 'production'),
  }),
  background: ({ events }) => [events.engine],
});
