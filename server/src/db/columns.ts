import { Column, PrimaryColumn, type ColumnOptions } from 'typeorm';

/** Column decorators shared by every entity, so both dialects get identical types. */

export const IdColumn = (): PropertyDecorator => PrimaryColumn({ type: 'varchar', length: 32 });

export const RefColumn = (options: Pick<ColumnOptions, 'nullable' | 'name'> = {}): PropertyDecorator =>
  Column({ type: 'varchar', length: 32, nullable: options.nullable ?? false, ...options });

export const TimestampColumn = (options: Pick<ColumnOptions, 'nullable' | 'name'> = {}): PropertyDecorator =>
  Column({ type: 'datetime', precision: 3, nullable: options.nullable ?? false, ...options });

export const TextColumn = (length: number, options: Pick<ColumnOptions, 'nullable' | 'name'> = {}): PropertyDecorator =>
  Column({ type: 'varchar', length, nullable: options.nullable ?? false, ...options });

/** A permission set stored as an integer bit mask (see Permission: catalog order is bit order). */
export const PermissionBitsColumn = (name: string): PropertyDecorator => Column({ type: 'int', name, default: 0 });
