import { Entity, Index } from 'typeorm';
import { IdColumn, RefColumn, TextColumn, TimestampColumn } from '../../db/columns';
import { BelongsTo } from '../../db/relations';
import { Employee } from '../employees/employee.entity';

/** A login session; only the SHA-256 of its token is stored. */
@Entity()
@Index('idx_session_employee_id', ['employeeId'])
export class Session {
  @IdColumn()
  id!: string;

  @RefColumn()
  employeeId!: string;

  @BelongsTo(() => Employee, { onDelete: 'CASCADE' })
  employee?: Employee;

  @Index({ unique: true })
  @TextColumn(64)
  tokenHash!: string;

  @TimestampColumn()
  createdAt!: Date;

  @TimestampColumn()
  expiresAt!: Date;
}
