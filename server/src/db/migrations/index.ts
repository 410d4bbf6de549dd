import type { MigrationInterface } from 'typeorm';
import { Initial1795638814712 } from './1795638814712-Initial';

/** MySQL/MariaDB migrations, in order. Generate new ones with `npm run migration:generate -- <Name>`. */
export const MIGRATIONS: Array<new () => MigrationInterface> = [Initial1795638814712];
