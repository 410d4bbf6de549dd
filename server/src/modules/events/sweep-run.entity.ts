import { Entity, PrimaryColumn } from 'typeorm';
import { TextColumn, TimestampColumn } from '../../db/columns';

/**
 * R38: that a periodic sweep ran for one period, and where. The primary key (sweep, period) is
 * the lock: of several instances that reach the same period, only the one whose insert succeeds
 * runs the sweep.
 */
@Entity()
export class SweepRun {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  sweep!: string;

  /** The start of the period (the sweep's interval, counted from the Unix epoch). */
  @PrimaryColumn({ type: 'datetime', precision: 3 })
  periodStart!: Date;

  /** The instance that ran it (host:pid:random), for operators. */
  @TextColumn(100)
  instance!: string;

  @TimestampColumn()
  startedAt!: Date;

  @TimestampColumn({ nullable: true })
  finishedAt!: Date | null;
}
