import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The relay's counter (R38): the last `access_event.seq` given out. Its row is also the relay's
 * lock: the instance holding it numbers the next events; the others skip this round.
 */
@Entity()
export class OutboxSequence {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  name!: string;

  @Column({ type: 'bigint', default: 0 })
  lastSeq!: string | number;
}
