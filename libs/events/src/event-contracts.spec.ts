import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const CONTRACTS = join(ROOT, 'contracts/events');

/** Every .ts source file under a directory (tests excluded). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : sources(p);
    return p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
  });
}

describe('contracts/events', () => {
  const index = JSON.parse(readFileSync(join(CONTRACTS, 'index.json'), 'utf8')) as {
    events: Record<string, { aggregateType: string; payload: string }>;
  };

  it('every event type the code writes to the outbox has a registered payload schema', () => {
    const written = new Set<string>();
    for (const file of [...sources(join(ROOT, 'libs')), ...sources(join(ROOT, 'apps'))]) {
      for (const m of readFileSync(file, 'utf8').matchAll(/eventType:\s*'([a-z_]+\.[a-z_]+)'/g)) written.add(m[1]);
    }
    expect(written.size).toBeGreaterThan(0);
    expect([...written].filter((t) => !index.events[t]).sort()).toEqual([]);
  });

  it('each registered schema exists, names its event type and forbids unknown properties', () => {
    for (const [type, entry] of Object.entries(index.events)) {
      const schema = JSON.parse(readFileSync(join(CONTRACTS, entry.payload), 'utf8'));
      expect({ type, id: schema.$id, closed: schema.additionalProperties }).toEqual({
        type,
        id: `urn:hims:events:${type}:1`,
        closed: false,
      });
      expect(type.startsWith(`${entry.aggregateType}.`)).toBe(true);
    }
  });
});
