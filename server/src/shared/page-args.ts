import { Args, ArgsType, Field, Int } from 'type-graphql';
import type { PageArgs } from './pagination';

/** `first` / `after` of every connection field. */
@ArgsType()
export class PageArgsType implements PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Continue after this cursor (pageInfo.endCursor).' })
  after?: string | null;
}

/** `search`, `first`, `after`. */
@ArgsType()
export class SearchPageArgs extends PageArgsType {
  @Field(() => String, { nullable: true, description: 'Matches anywhere in the name (case-insensitive).' })
  search?: string | null;
}

/** The `first` / `after` arguments of a connection field as one resolver parameter: `@Pagination() page: PageArgs`. */
export function Pagination(): ReturnType<typeof Args> {
  return Args(() => PageArgsType);
}
