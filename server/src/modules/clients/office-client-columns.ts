import { RefColumn } from '../../db/columns';
import { BelongsTo } from '../../db/relations';
import { Company } from '../companies/company.entity';

/**
 * The columns of a row about an accounting office and one of its clients (a client relation, a
 * client link): both companies, each row deleted with either of them.
 */
export abstract class OfficeClientColumns {
  @RefColumn()
  officeId!: string;

  @BelongsTo(() => Company, { onDelete: 'CASCADE' })
  office?: Company;

  @RefColumn()
  clientId!: string;

  @BelongsTo(() => Company, { onDelete: 'CASCADE' })
  client?: Company;
}
