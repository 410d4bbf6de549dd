import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PrimaryRefColumn, TimestampColumn } from '../../db/columns';

/**
 * R30: how often a key was used from one network (/24 for IPv4, /64 for IPv6) on one UTC day —
 * what `UserKey.recentNetworks` sums over the last 30 days. Written in batches, off the request path.
 */
@Entity()
export class KeyNetworkUse {
  @PrimaryRefColumn()
  userKeyId!: string;

  /** The network in CIDR notation, e.g. `192.0.2.0/24` or `2001:db8:1:2::/64`. */
  @PrimaryColumn({ type: 'varchar', length: 50 })
  network!: string;

  /** The UTC day, YYYY-MM-DD. */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @Column({ type: 'int', default: 0 })
  requests!: number;

  @TimestampColumn()
  lastSeenAt!: Date;
}
