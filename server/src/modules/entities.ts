/** Every entity of the data model, from the modules' descriptors (modules/registry.ts). */
export { ENTITIES } from './registry';
