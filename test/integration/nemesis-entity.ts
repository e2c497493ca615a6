// A one-column entity for the nemesis tests that drive a real strategy worker.
import type { Entity } from '../../harness/scenario/schema.ts';

export function entitySchemaForTests(table: string): Entity {
  return { table, columns: { name: { type: 'varchar', length: 50, nullable: false } }, projection: { rename: {}, drop: [], computed: {} } };
}
