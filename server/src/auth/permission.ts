import { registerEnumType } from 'type-graphql';
import { Permission } from '../shared/permission';

/**
 * The permission model itself is plain data in `shared/permission.ts` (the rules layer reads it
 * without loading GraphQL); this module makes the enum a GraphQL type and re-exports the model.
 */
registerEnumType(Permission, {
  name: 'Permission',
  description: 'One access right of an employee (tilgang). A key holds a subset of its owner’s.',
});

export {
  Permission,
  PERMISSION_CATALOG,
  PermissionSet,
  isPermission,
  type PermissionLabel,
} from '../shared/permission';
