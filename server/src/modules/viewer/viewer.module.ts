import { ViewerResolver } from './viewer.resolver';
import { defineModule } from '../module';

/** `viewer`: who the caller is and what this request may do. */
export const viewerModule = defineModule({
  name: 'viewer',
  resolvers: [ViewerResolver],
});
