// The topic a change lands on, from the source's routing transforms, and the sink's subscription,
// both in the documents' world and mapped to this run's names; routings that cannot be mapped are
// refused with the reason.
import { describe, expect, it } from 'vitest';
import type { ConnectorDocument } from './connector-document.ts';
import { planRouting } from './topic-routing.ts';

const run = { prefix: 'cv_r1_orders_cdc_ab12', database: 'converge', table: 'orders_cdc_ab12' };
const where = { source: 'source.json', sink: 'sink.json' };
const source = (config: Record<string, string>): ConnectorDocument => ({
  name: 'src',
  config: { 'topic.prefix': 'dbserver1', 'database.include.list': 'inventory', 'table.include.list': 'inventory.customers', ...config },
});
const sink = (config: Record<string, string>): ConnectorDocument => ({ name: 'sink', config });
const router = (regex: string, replacement: string) => ({
  transforms: 'route',
  'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
  'transforms.route.regex': regex,
  'transforms.route.replacement': replacement,
});

describe('topic routing', () => {
  it('without routing: the sink reads this run’s prefix.db.table', () => {
    const plan = planRouting(source({}), sink({ topics: 'dbserver1.inventory.customers' }), run, where);
    expect(plan.topic).toBe('cv_r1_orders_cdc_ab12.converge.orders_cdc_ab12');
    expect(plan.sinkTopics).toEqual([plan.topic]);
    expect(plan.sourceOverrides).toEqual({});
    expect(plan.sinkChanges[0]).toMatch(/^topics: dbserver1\.inventory\.customers → cv_r1_orders_cdc_ab12\.converge\.orders_cdc_ab12/);
  });

  it('keeps a generic RegexRouter as written and points the sink at the bare table name', () => {
    const plan = planRouting(source(router('([^.]+)\\.([^.]+)\\.([^.]+)', '$3')), sink({ topics: 'customers' }), run, where);
    expect(plan.topic).toBe('orders_cdc_ab12');
    expect(plan.sourceOverrides).toEqual({});
    expect(plan.sourceChanges[0]).toMatch(/as written.*→ orders_cdc_ab12, as it routes dbserver1\.inventory\.customers → customers/);
    expect(plan.written).toMatchObject({ table: 'customers', topic: 'customers' });
  });

  it('swaps the names a RegexRouter writes literally, and checks the result', () => {
    const plan = planRouting(source(router('dbserver1\\.inventory\\.(.*)', 'inventory_$1')), sink({ topics: 'inventory_customers' }), run, where);
    expect(plan.sourceOverrides).toEqual({ 'transforms.route.regex': 'cv_r1_orders_cdc_ab12\\.converge\\.(.*)', 'transforms.route.replacement': 'converge_$1' });
    expect(plan.topic).toBe('converge_orders_cdc_ab12');
  });

  it('finds the captured table from the sink when the source names only the database', () => {
    const doc = source(router('([^.]+)\\.([^.]+)\\.([^.]+)', '$3'));
    delete doc.config['table.include.list'];
    const plan = planRouting(doc, sink({ topics: 'customers' }), run, where);
    expect(plan.written.table).toBe('customers');
    expect(plan.topic).toBe('orders_cdc_ab12');
  });

  it('follows ByLogicalTableRouter and maps its key field regex', () => {
    const plan = planRouting(
      source({
        transforms: 'Reroute',
        'transforms.Reroute.type': 'io.debezium.transforms.ByLogicalTableRouter',
        'transforms.Reroute.topic.regex': 'dbserver1\\.inventory\\.(.*)',
        'transforms.Reroute.topic.replacement': 'dbserver1.inventory.all',
        'transforms.Reroute.key.field.regex': 'dbserver1\\.inventory\\.(.*)',
        'transforms.Reroute.key.field.replacement': '$1',
      }),
      sink({ topics: 'dbserver1.inventory.all' }),
      run,
      where,
    );
    expect(plan.topic).toBe('cv_r1_orders_cdc_ab12.converge.all');
    expect(plan.sourceOverrides['transforms.Reroute.key.field.regex']).toBe('cv_r1_orders_cdc_ab12\\.converge\\.(.*)');
  });

  it('maps a topics.regex subscription that names the documents’ prefix', () => {
    const plan = planRouting(source({}), sink({ 'topics.regex': 'dbserver1\\.inventory\\..*' }), run, where);
    expect(plan.sinkChanges[0]).toMatch(/topics\.regex: .* → cv_r1_orders_cdc_ab12\\\.converge\\\.\.\* \(this run's names/);
    expect(plan.sinkTopics).toEqual([plan.topic]);
  });

  it('maps per-topic lists written with the documents’ names', () => {
    const plan = planRouting(source(router('([^.]+)\\.([^.]+)\\.([^.]+)', '$3')), sink({ topics: 'customers' }), run, where);
    expect(plan.mapTopic('customers')).toBe('orders_cdc_ab12');
    expect(plan.mapTopic('dbserver1.inventory.customers')).toBe('cv_r1_orders_cdc_ab12.converge.orders_cdc_ab12');
  });

  it('refuses a pair whose sink never reads what the source writes', () => {
    expect(() => planRouting(source(router('([^.]+)\\.([^.]+)\\.([^.]+)', '$3')), sink({ topics: 'dbserver1.inventory.customers' }), run, where)).toThrow(
      /sink\.json: the sink reads topics dbserver1\.inventory\.customers, but the source writes inventory\.customers's changes to customers/,
    );
  });

  it('refuses a routing to one fixed topic every run would share', () => {
    expect(() => planRouting(source(router('.*', 'all-changes')), sink({ topics: 'all-changes' }), run, where)).toThrow(/sends every change to all-changes.*shared/);
  });

  it('refuses transforms whose routing it cannot know, predicates on routers, and both subscriptions at once', () => {
    expect(() => planRouting(source({ transforms: 'x', 'transforms.x.type': 'com.example.MyRouter' }), sink({ topics: 'a' }), run, where)).toThrow(/com\.example\.MyRouter: converge cannot tell/);
    expect(() => planRouting(source({ ...router('(.*)', '$1'), 'transforms.route.predicate': 'p' }), sink({ topics: 'a' }), run, where)).toThrow(/predicate/);
    expect(() => planRouting(source({}), sink({ topics: 'a', 'topics.regex': 'a' }), run, where)).toThrow(/mutually exclusive/);
    expect(() => planRouting(source({}), sink({}), run, where)).toThrow(/one of topics or topics\.regex is required/);
    expect(() => planRouting(source({ 'topic.delimiter': '_' }), sink({ topics: 'a' }), run, where)).toThrow(/topic\.delimiter/);
  });
});
