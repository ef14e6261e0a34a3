import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, asProblem, formatAbha, PROBLEM, type Schemas } from '../api/client';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { ABHA_MESSAGES, type AbhaMessageKey } from './abha-messages';
import './abha.css';

type Flow = Schemas['AbhaFlowResponse'];
type Method = 'abha-number' | 'mobile' | 'aadhaar' | 'abha-address';
interface Registration {
  name?: { given?: string[]; family?: string | null };
  gender?: string;
  birthDate?: string;
  phones?: string[] | null;
  address?: {
    lines?: string[];
    district?: string | null;
    state?: string | null;
    postalCode?: string | null;
  } | null;
  abhaNumber?: string;
  abhaAddress?: string | null;
}
interface Failure {
  text: string;
  abhaCode?: string;
  abhaMessage?: string;
}

const METHODS: Method[] = ['abha-number', 'mobile', 'aadhaar', 'abha-address'];

/**
 * The counter's one ABHA screen: "does the patient have an ABHA?" → verify (OTP) or create
 * with Aadhaar (consent, OTP, mobile, address) → the verified details → a registered or
 * updated patient, and the printable ABHA card. Opened from a patient page
 * (`/abha?patient=<id>`), it updates that patient instead of registering a new one.
 */
export function AbhaCounterPage() {
  const { lang } = useI18n();
  const m = (k: AbhaMessageKey) => ABHA_MESSAGES[lang][k];
  const { tenantHeader } = useSession();
  const [params] = useSearchParams();
  const patientId = params.get('patient');
  const [path, setPath] = useState<'verify' | 'enrol' | null>(null);
  const [flow, setFlow] = useState<Flow | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ patientId: string } | null>(null);
  const [duplicate, setDuplicate] = useState(false);
  const [card, setCard] = useState<string | null>(null);
  const [suggestions, setSuggestions] = useState<string[] | null>(null);
  const [input, setInput] = useState({
    method: 'abha-number' as Method,
    value: '',
    aadhaar: '',
    consent: false,
    otp: '',
    mobile: '',
    address: '',
    account: '',
  });
  const set = (k: keyof typeof input, v: string | boolean) => setInput((i) => ({ ...i, [k]: v }));
  const headers = () => ({ ...tenantHeader, 'Idempotency-Key': crypto.randomUUID() });

  async function step(run: () => Promise<{ data?: unknown; error?: unknown }>, then?: (data: never) => void) {
    setBusy(true);
    setFailure(null);
    try {
      const res = await run();
      if (res.data !== undefined) {
        then?.(res.data as never);
        return;
      }
      const problem = asProblem(res.error) as
        (ReturnType<typeof asProblem> & { abhaCode?: string; abhaMessage?: string }) | null;
      if (problem?.type === PROBLEM.duplicate) return setDuplicate(true);
      const key = `problem.${problem?.type.replace('urn:hims:problem:', '') ?? ''}` as AbhaMessageKey;
      setFailure({
        text: ABHA_MESSAGES[lang][key] ?? problem?.detail ?? m('error'),
        abhaCode: problem?.abhaCode,
        abhaMessage: problem?.abhaMessage,
      });
    } finally {
      setBusy(false);
    }
  }

  const startVerify = (e: FormEvent) => {
    e.preventDefault();
    void step(
      () =>
        api.POST('/api/v1/abha/verifications', {
          params: { header: headers() },
          body: { method: input.method, value: input.value },
        }),
      setFlow,
    );
  };
  const startEnrol = (e: FormEvent) => {
    e.preventDefault();
    void step(
      () =>
        api.POST('/api/v1/abha/enrolments', {
          params: { header: headers() },
          body: { aadhaar: input.aadhaar, consent: { version: '1.4', accepted: input.consent as true } },
        }),
      setFlow,
    );
  };
  const submitOtp = (e: FormEvent) => {
    e.preventDefault();
    const needsMobile = flow?.purpose === 'enrol' && flow.state === 'otp-sent';
    void step(
      () =>
        api.POST('/api/v1/abha/flows/{id}/otp', {
          params: { header: tenantHeader, path: { id: flow!.id } },
          body: { otp: input.otp, ...(needsMobile ? { mobile: input.mobile } : {}) },
        }),
      (f: Flow) => {
        set('otp', '');
        setFlow(f);
      },
    );
  };
  const chooseAccount = (e: FormEvent) => {
    e.preventDefault();
    void step(
      () =>
        api.POST('/api/v1/abha/flows/{id}/account', {
          params: { header: tenantHeader, path: { id: flow!.id } },
          body: { abhaNumber: input.account },
        }),
      setFlow,
    );
  };
  const loadSuggestions = () =>
    void step(
      () =>
        api.GET('/api/v1/abha/flows/{id}/address-suggestions', {
          params: { header: tenantHeader, path: { id: flow!.id } },
        }),
      (d: { suggestions: string[] }) => setSuggestions(d.suggestions),
    );
  const setAddress = (e: FormEvent) => {
    e.preventDefault();
    void step(
      () =>
        api.POST('/api/v1/abha/flows/{id}/address', {
          params: { header: tenantHeader, path: { id: flow!.id } },
          body: { abhaAddress: input.address },
        }),
      setFlow,
    );
  };
  const register = (allowDuplicate: boolean) =>
    void step(
      () =>
        api.POST('/api/v1/abha/flows/{id}/patient', {
          params: { header: headers(), path: { id: flow!.id } },
          body: { allowDuplicate },
        }),
      (d: { patient: { id: string } }) => finish(d.patient.id),
    );
  const updateExisting = () =>
    void step(
      async () => {
        const current = await api.GET('/api/v1/patients/{id}', {
          params: { header: tenantHeader, path: { id: patientId! } },
        });
        if (!current.data) return current;
        return api.POST('/api/v1/abha/flows/{id}/patients/{patientId}', {
          params: {
            header: { ...tenantHeader, 'If-Match': `"${current.data.version}"` },
            path: { id: flow!.id, patientId: patientId! },
          },
        });
      },
      (d: { patient: { id: string } }) => finish(d.patient.id),
    );

  async function finish(id: string) {
    setDone({ patientId: id });
    const res = await api.GET('/api/v1/abha/flows/{id}/card', {
      params: { header: tenantHeader, path: { id: flow!.id } },
      parseAs: 'blob',
    });
    if (res.data) {
      const reader = new FileReader();
      reader.onload = () => setCard(String(reader.result));
      reader.readAsDataURL(res.data as Blob);
    }
  }

  const reset = () => {
    setPath(null);
    setFlow(null);
    setDone(null);
    setCard(null);
    setSuggestions(null);
    setDuplicate(false);
    setFailure(null);
    setInput((i) => ({
      ...i,
      value: '',
      aadhaar: '',
      consent: false,
      otp: '',
      mobile: '',
      address: '',
      account: '',
    }));
  };
  const reg = (flow?.registration ?? null) as Registration | null;

  return (
    <section aria-labelledby="abha-title" className="abha-counter">
      <h1 id="abha-title">{m('title')}</h1>
      {failure && (
        <div role="alert" className="error card">
          <p>{failure.text}</p>
          {failure.abhaCode && (
            <p className="muted">
              {m('serviceSaid')}: {failure.abhaCode} {failure.abhaMessage}
            </p>
          )}
        </div>
      )}

      {!flow && !path && (
        <fieldset className="card">
          <legend>{m('question')}</legend>
          <div className="actions">
            <button type="button" onClick={() => setPath('verify')}>
              {m('yes')}
            </button>
            <button type="button" className="secondary" onClick={() => setPath('enrol')}>
              {m('no')}
            </button>
          </div>
        </fieldset>
      )}

      {!flow && path === 'verify' && (
        <form className="card grid" onSubmit={startVerify} noValidate>
          <Labelled id="abha-method" label={m('method')}>
            <select id="abha-method" value={input.method} onChange={(e) => set('method', e.target.value)}>
              {METHODS.map((x) => (
                <option key={x} value={x}>
                  {m(`method.${x}`)}
                </option>
              ))}
            </select>
          </Labelled>
          <Labelled id="abha-value" label={m(`method.${input.method}`)}>
            <input
              id="abha-value"
              value={input.value}
              autoComplete="off"
              inputMode={input.method === 'abha-address' ? 'email' : 'numeric'}
              onChange={(e) => set('value', e.target.value)}
            />
          </Labelled>
          <div className="actions">
            <button type="submit" disabled={busy || !input.value}>
              {m('sendOtp')}
            </button>
            <button type="button" className="secondary" onClick={reset}>
              {m('startAgain')}
            </button>
          </div>
        </form>
      )}

      {!flow && path === 'enrol' && (
        <form className="card grid" onSubmit={startEnrol} noValidate>
          <div className="consent">
            <h2>{m('consentTitle')}</h2>
            <p lang={lang}>{m('consentText')}</p>
            <label>
              <input
                type="checkbox"
                checked={input.consent}
                onChange={(e) => set('consent', e.target.checked)}
              />{' '}
              {m('consentAgree')}
            </label>
          </div>
          <Labelled id="abha-aadhaar" label={m('aadhaar')} hint={m('aadhaarHint')}>
            <input
              id="abha-aadhaar"
              value={input.aadhaar}
              autoComplete="off"
              inputMode="numeric"
              aria-describedby="abha-aadhaar-hint"
              onChange={(e) => set('aadhaar', e.target.value)}
            />
          </Labelled>
          <div className="actions">
            <button type="submit" disabled={busy || !input.consent || !input.aadhaar}>
              {m('sendOtp')}
            </button>
            <button type="button" className="secondary" onClick={reset}>
              {m('startAgain')}
            </button>
          </div>
        </form>
      )}

      {flow && (flow.state === 'otp-sent' || flow.state === 'mobile-otp-sent') && (
        <form className="card grid" onSubmit={submitOtp} noValidate>
          {flow.aadhaarLast4 && (
            <p>
              {m('otpSentTo')} {flow.aadhaarLast4}
            </p>
          )}
          {flow.purpose === 'enrol' && flow.state === 'otp-sent' && (
            <Labelled id="abha-mobile" label={m('mobileForAbha')}>
              <input
                id="abha-mobile"
                type="tel"
                inputMode="tel"
                value={input.mobile}
                onChange={(e) => set('mobile', e.target.value)}
              />
            </Labelled>
          )}
          <Labelled id="abha-otp" label={flow.state === 'mobile-otp-sent' ? m('mobileOtp') : m('otp')}>
            <input
              id="abha-otp"
              inputMode="numeric"
              autoComplete="one-time-code"
              value={input.otp}
              onChange={(e) => set('otp', e.target.value)}
            />
          </Labelled>
          <div className="actions">
            <button type="submit" disabled={busy || input.otp.length !== 6}>
              {m('verify')}
            </button>
            <button type="button" className="secondary" onClick={reset}>
              {m('startAgain')}
            </button>
          </div>
        </form>
      )}

      {flow?.state === 'choose-account' && (
        <form className="card" onSubmit={chooseAccount}>
          <fieldset>
            <legend>{m('chooseAccount')}</legend>
            {(flow.accounts ?? []).map((a) => (
              <label key={a.abhaNumber} className="choice">
                <input
                  type="radio"
                  name="account"
                  value={a.abhaNumber}
                  checked={input.account === a.abhaNumber}
                  onChange={() => set('account', a.abhaNumber)}
                />{' '}
                {a.name} · {formatAbha(a.abhaNumber)} {a.abhaAddress && `· ${a.abhaAddress}`}
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={busy || !input.account}>
            {m('useAccount')}
          </button>
        </form>
      )}

      {flow?.state === 'verified' && reg && !done && (
        <div className="card">
          <h2>{m('verifiedTitle')}</h2>
          <dl className="facts">
            <dt>{m('name')}</dt>
            <dd>{[...(reg.name?.given ?? []), reg.name?.family].filter(Boolean).join(' ')}</dd>
            <dt>{m('gender')}</dt>
            <dd>{reg.gender ? (m(reg.gender as AbhaMessageKey) ?? reg.gender) : '—'}</dd>
            <dt>{m('birthDate')}</dt>
            <dd>{reg.birthDate?.split('-').reverse().join('/')}</dd>
            <dt>{m('phone')}</dt>
            <dd>{reg.phones?.join(', ') || '—'}</dd>
            <dt>{m('address')}</dt>
            <dd>
              {[
                ...(reg.address?.lines ?? []),
                reg.address?.district,
                reg.address?.state,
                reg.address?.postalCode,
              ]
                .filter(Boolean)
                .join(', ') || '—'}
            </dd>
            <dt>{m('abhaNumber')}</dt>
            <dd>{formatAbha(reg.abhaNumber)}</dd>
            <dt>{m('abhaAddress')}</dt>
            <dd>{reg.abhaAddress ?? '—'}</dd>
          </dl>
          {flow.purpose === 'enrol' && !reg.abhaAddress && (
            <form className="grid" onSubmit={setAddress}>
              {suggestions === null ? (
                <button type="button" className="secondary" onClick={loadSuggestions}>
                  {m('chooseAddress')}
                </button>
              ) : (
                <>
                  <Labelled id="abha-address" label={m('chooseAddress')}>
                    <input
                      id="abha-address"
                      list="abha-address-suggestions"
                      value={input.address}
                      onChange={(e) => set('address', e.target.value)}
                    />
                  </Labelled>
                  <datalist id="abha-address-suggestions">
                    {suggestions.map((s) => (
                      <option key={s} value={s} />
                    ))}
                  </datalist>
                  <button type="submit" disabled={busy || !input.address}>
                    {m('setAddress')}
                  </button>
                </>
              )}
            </form>
          )}
          {duplicate && <p role="alert">{m('duplicate')}</p>}
          <div className="actions">
            {patientId ? (
              <button type="button" disabled={busy} onClick={updateExisting}>
                {m('updatePatient')}
              </button>
            ) : (
              <button type="button" disabled={busy} onClick={() => register(duplicate)}>
                {duplicate ? m('registerAnyway') : m('registerNew')}
              </button>
            )}
            <button type="button" className="secondary" onClick={reset}>
              {m('startAgain')}
            </button>
          </div>
        </div>
      )}

      {done && (
        <div className="card">
          <p role="status">{m('done')}</p>
          <p>
            <Link to={`/patients/${done.patientId}`}>{m('openPatient')}</Link>
          </p>
          {card && (
            <figure className="abha-card printable">
              <img src={card} alt={m('card')} />
              <figcaption>{m('card')}</figcaption>
            </figure>
          )}
          <div className="actions no-print">
            {card && (
              <button type="button" onClick={() => window.print()}>
                {m('printCard')}
              </button>
            )}
            <button type="button" className="secondary" onClick={reset}>
              {m('startAgain')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function Labelled(props: { id: string; label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <span id={`${props.id}-hint`} className="hint">
          {props.hint}
        </span>
      )}
    </div>
  );
}
