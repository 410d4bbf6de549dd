import { ObjectType } from 'type-graphql';
import { Entity } from 'typeorm';
import { Node } from '../shared/node';

/** How a node entity appears in the schema. */
export interface NodeTypeText {
  /** The GraphQL type's name when it is not the class's (default: the class name). */
  name?: string;
  description?: string;
}

/**
 * A stored record that is also a GraphQL node: one table, and one object type implementing `Node`
 * whose fields are plain property reads (`simpleResolvers`) unless a field resolver says otherwise.
 * Every entity reachable by `node(id:)` is declared with it, so none forgets the interface.
 */
export const NodeEntity =
  (type: NodeTypeText = {}): ClassDecorator =>
  (target) => {
    // the order a stack `@ObjectType(…) @Entity()` applies them: the lower one first
    Entity()(target);
    const options = { simpleResolvers: true, implements: Node, description: type.description };
    (type.name === undefined ? ObjectType(options) : ObjectType(type.name, options))(target);
  };
