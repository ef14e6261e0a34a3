import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api, asProblem, formatAbha, PROBLEM, type Patient } from '../api/client';
import { useI18n, type MessageKey } from '../i18n';
import { useSession } from '../session';
import { ConfirmAction } from '../clinic/ConfirmAction';
import { PatientBanner } from '../clinic/PatientBanner';
import { PatientChart } from '../clinic/PatientChart';
import { formatDateTime, formatDay } from '../clinic/format';
import {
  changedFields,
  Field,
  fieldErrors,
  toForm,
  toPatch,
  type FieldErrors,
  type PatientForm,
} from './form';

const LABEL: Record<keyof PatientForm, MessageKey> = {
  given: 'givenName',
  family: 'familyName',
  gender: 'gender',
  birthDate: 'birthDate',
  phone: 'phone',
  email: 'email',
  abhaNumber: 'abhaNumber',
  abhaAddress: 'abhaAddress',
  line: 'addressLine',
  city: 'city',
  district: 'district',
  state: 'state',
  postalCode: 'postalCode',
};

interface Conflict {
  /** The version the edit started from, the version now saved, and the edit. */
  base: PatientForm;
  current: Patient;
  mine: PatientForm;
  /** Fields this edit changed (reapplied on top of `current`). */
  fields: (keyof PatientForm)[];
  /** Fields either side changed: what the comparison shows. */
  shown: (keyof PatientForm)[];
}

export function PatientPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { tenantHeader, isAdmin } = useSession();
  const queries = useQueryClient();
  const key = ['patient', tenantHeader['X-Tenant-ID'], id];
  const patient = useQuery({
    queryKey: key,
    queryFn: async () => {
      const res = await api.GET('/api/v1/patients/{id}', { params: { header: tenantHeader, path: { id } } });
      if (res.response.status === 404) return null;
      if (!res.data) throw new Error('read failed');
      return res.data;
    },
  });
  const [editing, setEditing] = useState<{ base: Patient; form: PatientForm } | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);

  if (patient.isPending) return <p>{t('loading')}</p>;
  if (patient.isError) return <p role="alert">{t('error')}</p>;
  const p = patient.data;
  if (!p) return <h1>{t('notFound')}</h1>;

  async function save(base: Patient, form: PatientForm) {
    setErrors({});
    setMessage(null);
    const res = await api.PATCH('/api/v1/patients/{id}', {
      params: { header: { ...tenantHeader, 'If-Match': `"${base.version}"` }, path: { id } },
      body: toPatch(toForm(base), form),
    });
    if (res.data) {
      queries.setQueryData(key, res.data);
      setEditing(null);
      setConflict(null);
      setMessage(t('saved'));
      return;
    }
    const problem = asProblem(res.error);
    if (problem?.type === PROBLEM.precondition) {
      const now = await api.GET('/api/v1/patients/{id}', { params: { header: tenantHeader, path: { id } } });
      if (now.data) {
        queries.setQueryData(key, now.data);
        const before = toForm(base);
        const mine = changedFields(before, form);
        const theirs = changedFields(before, toForm(now.data));
        const shown = (Object.keys(LABEL) as (keyof PatientForm)[]).filter(
          (f) => mine.includes(f) || theirs.includes(f),
        );
        setConflict({ base: before, current: now.data, mine: form, fields: mine, shown });
      }
      return;
    }
    if (problem?.type === PROBLEM.validation) setErrors(fieldErrors(problem).fields);
    setMessage(problem?.detail ?? t('error'));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (editing) void save(editing.base, editing.form);
  }

  async function deactivate(current: Patient) {
    await api.DELETE('/api/v1/patients/{id}', {
      params: { header: { ...tenantHeader, 'If-Match': `"${current.version}"` }, path: { id } },
    });
    await queries.invalidateQueries({ queryKey: key });
  }

  async function reactivate(current: Patient) {
    const res = await api.POST('/api/v1/patients/{id}/reactivate', {
      params: { header: { ...tenantHeader, 'If-Match': `"${current.version}"` }, path: { id } },
    });
    if (res.data) {
      queries.setQueryData(key, res.data);
      setMessage(t('reactivated'));
    } else setMessage(asProblem(res.error)?.detail ?? t('error'));
  }

  const address = p.address
    ? [p.address.lines?.join(', '), p.address.city, p.address.district, p.address.state, p.address.postalCode]
        .filter(Boolean)
        .join(', ')
    : '';

  return (
    <section aria-labelledby="patient-title">
      <PatientBanner patient={p} />
      <PatientChart patient={p} />
      <dl className="card facts">
        <dt>{t('mrn')}</dt>
        <dd>{p.mrn}</dd>
        <dt>{t('gender')}</dt>
        <dd>{t(p.gender)}</dd>
        <dt>{t('birthDate')}</dt>
        <dd>{formatDay(p.birthDate)}</dd>
        <dt>{t('phones')}</dt>
        <dd>{p.phones.join(', ')}</dd>
        <dt>{t('email')}</dt>
        <dd>{p.email}</dd>
        <dt>{t('abhaNumber')}</dt>
        <dd>{formatAbha(p.abhaNumber)}</dd>
        <dt>{t('abhaAddress')}</dt>
        <dd>{p.abhaAddress}</dd>
        <dt>{t('address')}</dt>
        <dd>{address}</dd>
        <dt>{t('status')}</dt>
        <dd>{p.active ? t('active') : t('inactive')}</dd>
        <dt>{t('version')}</dt>
        <dd data-testid="version">{p.version}</dd>
        <dt>{t('updated')}</dt>
        <dd>{formatDateTime(p.updatedAt)}</dd>
      </dl>
      {message && (
        <p role="status" className="note">
          {message}
        </p>
      )}
      {!editing && (
        <div className="actions">
          <button type="button" onClick={() => setEditing({ base: p, form: toForm(p) })}>
            {t('edit')}
          </button>
          {isAdmin && p.active && (
            <ConfirmAction label={t('deactivate')} danger question={t('deactivateConfirm')} onConfirm={() => deactivate(p)} />
          )}
          {isAdmin && !p.active && (
            <button type="button" onClick={() => void reactivate(p)}>
              {t('reactivate')}
            </button>
          )}
        </div>
      )}
      {conflict && (
        <section className="card conflict" role="alert" aria-labelledby="conflict-title">
          <h2 id="conflict-title">{t('conflictTitle')}</h2>
          <p>{t('conflictHelp')}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('field')}</th>
                <th scope="col">{t('whenYouStarted')}</th>
                <th scope="col">{t('theirValue')}</th>
                <th scope="col">{t('yourValue')}</th>
              </tr>
            </thead>
            <tbody>
              {conflict.shown.map((f) => (
                <tr key={f}>
                  <th scope="row">{t(LABEL[f])}</th>
                  <td>{conflict.base[f]}</td>
                  <td>{toForm(conflict.current)[f]}</td>
                  <td>{conflict.fields.includes(f) ? conflict.mine[f] : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            <button
              type="button"
              onClick={() => {
                // My changes on top of the version now saved.
                const next = { ...toForm(conflict.current) };
                for (const f of conflict.fields) next[f] = conflict.mine[f];
                void save(conflict.current, next);
              }}
            >
              {t('reapply')}
            </button>
            <button
              type="button"
              onClick={() => {
                setConflict(null);
                setEditing(null);
              }}
            >
              {t('discard')}
            </button>
          </div>
        </section>
      )}
      {editing && !conflict && (
        <form className="card grid" onSubmit={submit} noValidate aria-label={t('edit')}>
          {(Object.keys(LABEL) as (keyof PatientForm)[]).map((f) =>
            f === 'gender' ? (
              <Field key={f} id={f} label={t('gender')} form={editing.form} errors={errors} onChange={change}>
                <option value="female">{t('female')}</option>
                <option value="male">{t('male')}</option>
                <option value="other">{t('other')}</option>
                <option value="unknown">{t('unknown')}</option>
              </Field>
            ) : (
              <Field
                key={f}
                id={f}
                label={t(LABEL[f])}
                form={editing.form}
                errors={errors}
                onChange={change}
              />
            ),
          )}
          <div className="wide actions">
            <button type="submit">{t('save')}</button>
            <button type="button" onClick={() => setEditing(null)}>
              {t('cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );

  function change(f: keyof PatientForm, v: string) {
    setEditing((e) => (e ? { ...e, form: { ...e.form, [f]: v } } : e));
  }
}
