import { Field, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType({
  simpleResolvers: true,
  description: 'Requests of a key from one network (/24 or /64) in the last 30 days.',
})
export class KeyNetworkUse {
  @Field({ description: 'The network, e.g. 192.0.2.0/24 or 2001:db8:1:2::/64.' })
  network!: string;

  @Field(() => Int)
  requests!: number;

  @Field(() => Date)
  lastSeenAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: 'The rules every key of the company keeps.' })
export class KeyPolicy {
  @Field({ description: 'Every key must have an expiry date.' })
  requireExpiry!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'A key expires at most this many days after it is created, restored or changed (null: no limit).',
  })
  maxLifetimeDays!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Keys unused this many days (never used: since creation) expire (null: never).',
  })
  expireUnusedAfterDays!: number | null;
}

@InputType({ description: 'A company key policy.' })
export class KeyPolicyInput {
  @Field()
  requireExpiry!: boolean;

  @Field(() => Int, { nullable: true, description: '1–3650 days, or null for no limit.' })
  maxLifetimeDays?: number | null;

  @Field(() => Int, { nullable: true, description: '1–3650 days, or null for never.' })
  expireUnusedAfterDays?: number | null;
}
