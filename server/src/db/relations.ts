import { JoinColumn, ManyToOne, type ObjectType } from 'typeorm';
import { snake } from './naming-strategy';

/**
 * The row another row belongs to, through the `<property>_id` column its entity declares with
 * `RefColumn` (or the column named): a foreign key with the given delete rule.
 */
export const BelongsTo = <T>(
  entity: () => ObjectType<T>,
  options: { onDelete: 'CASCADE' | 'RESTRICT' | 'SET NULL'; nullable?: true; column?: string },
): PropertyDecorator => {
  const { column, ...relation } = options;
  return (target, key) => {
    JoinColumn({ name: column ?? `${snake(String(key))}_id` })(target, key);
    ManyToOne(entity, relation)(target, key);
  };
};
