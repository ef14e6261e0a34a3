import type { Schemas } from '../api/client';

type Entry = Schemas['AuditEntryView'];

const IGNORED_COLUMNS = ['version', 'updated_at', 'updated_by', 'search_name'];

/**
 * One line per change: the trigger's row change and the application's entry of one request
 * are one event for a person, so entries of a request on the same entity are merged.
 */
export function mergeEntries(items: Entry[]): { key: string; at: string; actorId: string | null; actions: string[]; fields: string[] }[] {
  const lines: { key: string; at: string; actorId: string | null; actions: string[]; fields: string[] }[] = [];
  const byKey = new Map<string, (typeof lines)[number]>();
  for (const e of items) {
    const key = e.requestId ? `${e.requestId}:${e.entityId}` : e.id;
    let line = byKey.get(key);
    if (!line) {
      line = { key, at: e.occurredAt, actorId: e.actorId, actions: [], fields: [] };
      byKey.set(key, line);
      lines.push(line);
    }
    const action = e.action === 'INSERT' ? 'create' : e.action === 'UPDATE' ? 'update' : e.action;
    if (!line.actions.includes(action)) line.actions.push(action);
    if (e.action === 'UPDATE') {
      for (const f of Object.keys(e.changes ?? {})) if (!IGNORED_COLUMNS.includes(f) && !line.fields.includes(f)) line.fields.push(f);
    }
  }
  // A change that also read the row is a change; the domain event (patient.registered) of a
  // row change says the same thing again.
  for (const l of lines) {
    if (l.actions.length > 1) l.actions = l.actions.filter((a) => a !== 'read' && !a.includes('.'));
    l.actions.sort((a, b) => Number(b === 'create') - Number(a === 'create'));
  }
  return lines;
}

