import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@hims/audit';
import { ProblemException } from '@hims/errors';
import { PatientsService, type PatientRow } from '@hims/patients';
import { renderPdf, type Block, type PageSize } from '@hims/printing';
import { TenantScope } from '@hims/tenancy';
import type { Vitals } from './consultation.model';
import { ageInYears, PRINT_LABELS, printDate, printDateTime, printDay, type PrintLanguage } from './print-labels';
import { notFound } from './visit-rules';
import { VisitsRepository } from './visits.repository';

export interface PrintOptions {
  lang: PrintLanguage;
  size: PageSize;
}

/**
 * The paper of a visit: the patient's OPD card (registration slip with the MRN as a QR code)
 * and the signed prescription. Each print is audited as a `print` of what it shows.
 */
@Injectable()
export class VisitPrintService {
  constructor(
    private readonly repo: VisitsRepository,
    private readonly patients: PatientsService,
    private readonly audit: AuditRecorder,
    private readonly scope: TenantScope,
  ) {}

  private get clinicName(): string {
    return this.scope.state.tenant?.name ?? 'Clinic';
  }

  async opdCard(patientId: string, o: PrintOptions): Promise<Buffer> {
    const patient = await this.patients.get(patientId, 'print');
    const L = PRINT_LABELS[o.lang];
    const now = new Date();
    const rows: Array<[string, string]> = [...this.banner(patient, o.lang, now)];
    rows.push([L.registered, printDate(patient.created_at)]);
    return renderPdf({
      size: o.size,
      title: `${L.opdCard} ${patient.mrn}`,
      lang: o.lang,
      letterhead: { name: this.clinicName },
      blocks: [
        { kind: 'heading', text: L.opdCard },
        { kind: 'keyValues', rows, columns: o.size === 'A4' ? 2 : 1 },
        { kind: 'qr', value: patient.mrn, caption: `${L.mrn} ${patient.mrn}`, sizePt: 84 },
      ],
      footer: `${L.printed} ${printDateTime(now)}`,
    });
  }

  async prescription(visitId: string, o: PrintOptions): Promise<Buffer> {
    const visit = await this.repo.find(visitId);
    if (!visit) throw notFound();
    if (!visit.signed_at || !visit.signed_by) {
      throw new ProblemException('conflict', 'A prescription is printed from a signed visit; sign it first');
    }
    const patient = await this.patients.get(visit.patient_id, 'print');
    const doctor = (await this.repo.staffName(visit.signed_by)) ?? '';
    await this.audit.record({ action: 'print', entityType: 'visit', entityId: visit.id, details: { document: 'prescription', contentVersion: visit.content_version } });
    const L = PRINT_LABELS[o.lang];
    const c = visit.content;
    const now = new Date();
    const blocks: Block[] = [
      { kind: 'heading', text: L.prescription + (visit.content_version > 1 ? ` (${L.amended} ${visit.content_version})` : '') },
      {
        kind: 'keyValues',
        columns: 2,
        rows: [
          ...this.banner(patient, o.lang, now).slice(0, 3),
          [L.date, printDate(visit.started_at ?? visit.scheduled_at)],
          [L.doctor, doctor],
          [L.department, visit.department],
        ],
      },
    ];
    const vitals = vitalsLine(c.vitals);
    if (vitals) blocks.push({ kind: 'paragraph', label: L.vitals, text: vitals });
    if (c.complaints.length) blocks.push({ kind: 'paragraph', label: L.complaints, text: c.complaints.map(finding).join('; ') });
    if (c.diagnoses.length) blocks.push({ kind: 'paragraph', label: L.diagnoses, text: c.diagnoses.map(finding).join('; ') });
    if (c.medications.length) {
      blocks.push({
        kind: 'table',
        headers: [L.medicine, L.dose, L.route, L.frequency, L.days, L.instructions],
        widths: [3, 1.2, 1, 1.6, 0.8, 1.9],
        rows: c.medications.map((m) => [
          [m.drug, m.strength].filter(Boolean).join(' '),
          m.dose,
          m.route,
          m.frequency,
          m.durationDays ? String(m.durationDays) : '',
          m.instructions ?? '',
        ]),
      });
    } else {
      blocks.push({ kind: 'paragraph', text: L.noMedicines });
    }
    if (c.advice) blocks.push({ kind: 'paragraph', label: L.advice, text: c.advice });
    if (c.followUpDate) blocks.push({ kind: 'paragraph', label: L.followUp, text: printDay(c.followUpDate) });
    blocks.push({ kind: 'signature', label: L.signature, name: doctor });
    return renderPdf({
      size: o.size,
      title: `${L.prescription} ${patient.mrn}`,
      lang: o.lang,
      letterhead: { name: this.clinicName },
      blocks,
      footer: `${L.printed} ${printDateTime(now)}`,
    });
  }

  private banner(p: PatientRow, lang: PrintLanguage, now: Date): Array<[string, string]> {
    const L = PRINT_LABELS[lang];
    const name = p.name_text || [...p.name_given, p.name_family ?? ''].join(' ').trim();
    const age = ageInYears(p.birth_date, p.birth_year, now);
    const rows: Array<[string, string]> = [
      [L.patient, name],
      [L.mrn, p.mrn],
      [L.ageSex, `${age} ${L.years} / ${L.gender[p.gender] ?? p.gender}`],
    ];
    if (p.phones[0]) rows.push([L.phone, p.phones[0]]);
    if (p.abha_number) rows.push([L.abhaNumber, p.abha_number.replace(/^(\d{2})(\d{4})(\d{4})(\d{4})$/, '$1-$2-$3-$4')]);
    if (p.abha_address) rows.push([L.abhaAddress, p.abha_address]);
    return rows;
  }
}

function finding(f: { text: string; icd10?: string }): string {
  return f.icd10 ? `${f.text} (${f.icd10})` : f.text;
}

/** Vitals in the units they are recorded in (UCUM), BMI derived. */
function vitalsLine(v: Vitals): string {
  const parts: string[] = [];
  if (v.systolicMmHg && v.diastolicMmHg) parts.push(`BP ${v.systolicMmHg}/${v.diastolicMmHg} mmHg`);
  if (v.pulsePerMin) parts.push(`Pulse ${v.pulsePerMin}/min`);
  if (v.temperatureCel) parts.push(`Temp ${v.temperatureCel} °C`);
  if (v.respiratoryRatePerMin) parts.push(`RR ${v.respiratoryRatePerMin}/min`);
  if (v.spo2Percent) parts.push(`SpO2 ${v.spo2Percent}%`);
  if (v.weightKg) parts.push(`Wt ${v.weightKg} kg`);
  if (v.heightCm) parts.push(`Ht ${v.heightCm} cm`);
  return parts.join(', ');
}
