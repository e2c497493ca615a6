// The index mapping follows each column's type, or its `indexType` when it declares one (under its
// renamed field, never for a dropped column).
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load.ts';
import { indexMappings } from './index-mapping.ts';

const entity = parseScenario(
  `
name: mapping
description: indexType in the mapping
entity:
  table: accounts
  columns:
    amount: { type: bigint, indexType: integer }
    small: { type: int, indexType: short }
    hidden: { type: bigint, indexType: integer }
    ratio: { type: double, indexType: float }
    plain: { type: bigint }
  projection:
    rename: { small: tiny }
    drop: [hidden]
phases:
  - { name: p, ops: 1, mix: { read: 1 } }
`,
  {},
  'mapping.yaml',
).entity;

describe('index mapping', () => {
  it('maps a column with indexType to that type, renamed, and leaves dropped columns out', () => {
    expect(indexMappings(entity)).toEqual({
      properties: {
        id: { type: 'long' },
        version: { type: 'long' },
        amount: { type: 'integer' },
        tiny: { type: 'short' },
        ratio: { type: 'float' },
        plain: { type: 'long' },
      },
    });
  });
});
