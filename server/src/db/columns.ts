import { Field, ID, Int } from 'type-graphql';
import { Column, PrimaryColumn, type ColumnOptions } from 'typeorm';

/**
 * Column decorators shared by every entity, so both dialects get identical types; the `…Field`
 * forms also expose the column in the GraphQL type, so one line declares both.
 */

type Nullable = Pick<ColumnOptions, 'nullable' | 'name'>;

/** What a GraphQL field declared with its column may say about itself. */
export interface FieldText {
  nullable?: boolean;
  description?: string;
}

/** Applies several property decorators as one, in the order a stack of them would run (last first). */
function stacked(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorate of [...decorators].reverse()) decorate(target, key);
  };
}

export const IdColumn = (): PropertyDecorator => PrimaryColumn({ type: 'varchar', length: 32 });

/** A reference to another record's id that is part of this table's (composite) primary key. */
export const PrimaryRefColumn = (): PropertyDecorator => PrimaryColumn({ type: 'varchar', length: 32 });

export const RefColumn = (options: Nullable = {}): PropertyDecorator =>
  Column({ type: 'varchar', length: 32, nullable: options.nullable ?? false, ...options });

export const TimestampColumn = (options: Nullable = {}): PropertyDecorator =>
  Column({ type: 'datetime', precision: 3, nullable: options.nullable ?? false, ...options });

export const TextColumn = (length: number, options: Nullable = {}): PropertyDecorator =>
  Column({ type: 'varchar', length, nullable: options.nullable ?? false, ...options });

/** A permission set stored as an integer bit mask (see Permission: catalog order is bit order). */
export const PermissionBitsColumn = (name: string): PropertyDecorator => Column({ type: 'int', name, default: 0 });

/** The primary key of a node, exposed as its `id: ID!`. */
export const NodeIdColumn = (description?: string): PropertyDecorator =>
  stacked(
    Field(() => ID, { description }),
    IdColumn(),
  );

/** A timestamp column exposed as a `DateTime` field. */
export const TimestampField = (text: FieldText = {}): PropertyDecorator =>
  stacked(
    Field(() => Date, text),
    TimestampColumn({ nullable: text.nullable }),
  );

/** A text column exposed as a `String` field. */
export const TextField = (length: number, text: FieldText = {}): PropertyDecorator =>
  stacked(
    Field(() => String, text),
    TextColumn(length, { nullable: text.nullable }),
  );

/** An integer column exposed as an `Int` field. */
export const IntField = (text: FieldText = {}): PropertyDecorator =>
  stacked(
    Field(() => Int, text),
    Column({ type: 'int', nullable: text.nullable }),
  );
