import { NodeResolver } from './node.resolver';
import { defineModule } from '../module';

/** Global object identification: `node(id)` and `nodes(ids)`. */
export const nodesModule = defineModule({
  name: 'nodes',
  resolvers: [NodeResolver],
});
