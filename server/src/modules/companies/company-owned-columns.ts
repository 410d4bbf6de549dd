import { RefColumn } from '../../db/columns';
import { BelongsTo } from '../../db/relations';
import { Company } from './company.entity';

/** The columns of a row that belongs to one company (R1) and is deleted with it. */
export abstract class CompanyOwnedColumns {
  @RefColumn()
  companyId!: string;

  @BelongsTo(() => Company, { onDelete: 'CASCADE' })
  company?: Company;
}
