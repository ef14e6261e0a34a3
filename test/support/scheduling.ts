import request from 'supertest';
import type { Server } from 'node:http';

/** The calendar day (YYYY-MM-DD) `offsetDays` after `from` in a time zone. */
export function dayIn(timeZone: string, offsetDays: number, from = new Date()): string {
  const at = new Date(from.getTime() + offsetDays * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * A fixed-offset zone (no daylight saving) where it is around midday now, so a test that needs
 * slots later "today" finds them whatever the hour it runs at. Etc/GMT signs are inverted.
 */
export function middayZone(now = new Date()): string {
  const offset = Math.max(-12, Math.min(14, 12 - now.getUTCHours()));
  return offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

const letters = (n: number) => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('');

/** Registers a patient through the API (as the given staff user) and returns the id. */
export async function newPatient(server: Server, headers: Record<string, string>, given = 'Queue'): Promise<string> {
  const res = await request(server)
    .post('/api/v1/patients')
    .set(headers)
    .send({
      name: { given: [given], family: `Patient${letters(6)}` },
      gender: 'female',
      birthDate: '1980-02-03',
      phones: ['+919812345678'],
      allowDuplicate: true,
    });
  if (res.status !== 201) throw new Error(`newPatient: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export function putSchedule(
  server: Server,
  headers: Record<string, string>,
  doctorId: string,
  body: Record<string, unknown>,
  ifMatch?: string,
) {
  const r = request(server).put(`/api/v1/schedules/${doctorId}`).set(headers);
  return (ifMatch ? r.set('If-Match', ifMatch) : r).send(body);
}
