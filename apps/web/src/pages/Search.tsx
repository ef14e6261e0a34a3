import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, formatAbha } from '../api/client';
import { useI18n } from '../i18n';
import { useSession } from '../session';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

const PAGE = 20;

/**
 * Search as you type: debounced, keyboard-first (combobox + listbox). Pages of
 * 20 follow the API's nextCursor: "Show more results", or ↓ past the last one.
 */
export function SearchPage() {
  const { t } = useI18n();
  const { tenantHeader } = useSession();
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const q = useDebounced(text.trim(), 250);

  useEffect(() => input.current?.focus(), []);

  const search = useInfiniteQuery({
    queryKey: ['search', tenantHeader['X-Tenant-ID'], q],
    enabled: q.length >= 2,
    queryFn: async ({ pageParam }) => {
      const res = await api.GET('/api/v1/search/patients', {
        params: { header: tenantHeader, query: { q, limit: PAGE, cursor: pageParam } },
      });
      if (!res.data) throw new Error('search failed');
      return res.data;
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const pages = q.length >= 2 ? (search.data?.pages ?? []) : [];
  const items = pages.flatMap((p) => p.items);
  const fromDatabase = pages.some((p) => p.source === 'database');
  // Where the active option should go once the next page has arrived (arrow past the end, or "more").
  const [pendingActive, setPendingActive] = useState<number | null>(null);
  useEffect(() => {
    setActive(0);
    setPendingActive(null);
  }, [q]);
  const activeId = items[active]?.id;
  useEffect(() => {
    if (activeId) document.getElementById(`result-${activeId}`)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);
  useEffect(() => {
    if (pendingActive !== null && items.length > pendingActive) {
      setActive(pendingActive);
      setPendingActive(null);
    }
  }, [pendingActive, items.length]);

  /** Next page; the first new result becomes the active option and focus returns to the search box. */
  function loadMore() {
    if (!search.hasNextPage || search.isFetchingNextPage) return;
    setPendingActive(items.length);
    void search.fetchNextPage();
    input.current?.focus();
  }

  function onKey(e: KeyboardEvent<HTMLInputElement>) {
    if (!items.length) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (active === items.length - 1) loadMore();
      else setActive((a) => Math.min(items.length - 1, a + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      navigate(`/patients/${items[active].id}`);
    }
  }

  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">{t('searchTitle')}</h1>
      <label htmlFor="q">{t('searchLabel')}</label>
      <input
        id="q"
        ref={input}
        type="search"
        role="combobox"
        aria-expanded={items.length > 0}
        aria-controls="results"
        aria-autocomplete="list"
        aria-activedescendant={items.length ? `result-${items[active]?.id}` : undefined}
        aria-describedby="q-hint"
        autoComplete="off"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKey}
      />
      <small id="q-hint">{t('searchHint')}</small>
      <div aria-live="polite" className="status">
        {search.isFetching && q.length >= 2 && t('searching')}
        {fromDatabase && (
          <p className="note" data-testid="db-fallback">
            {t('fromDatabase')}
          </p>
        )}
        {search.isSuccess && q.length >= 2 && items.length === 0 && <p>{t('noResults')}</p>}
        {items.length > 0 && (
          <p className="muted" data-testid="result-count">
            {items.length} {t(items.length === 1 ? 'shownResult' : 'shownResults')}
            {search.hasNextPage && `; ${t('moreAvailable')}`}
          </p>
        )}
        {search.isFetchNextPageError && <p role="alert">{t('searchRestart')}</p>}
      </div>
      <ul id="results" role="listbox" aria-label={t('results')} className="results">
        {items.map((p, i) => (
          <li
            key={p.id}
            id={`result-${p.id}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            onMouseMove={() => i !== active && setActive(i)}
            onClick={() => navigate(`/patients/${p.id}`)}
          >
            <strong>{p.name}</strong> <span className="muted">{p.mrn}</span>
            <span>
              {p.gender} · {p.birthDate ?? p.birthYear}
            </span>
            <span>{p.phones.join(', ')}</span>
            {p.abhaAddress && <span>{formatAbha(p.abhaAddress)}</span>}
          </li>
        ))}
      </ul>
      {search.hasNextPage && (
        <button type="button" className="more" onClick={loadMore} disabled={search.isFetchingNextPage}>
          {t('moreResults')}
        </button>
      )}
    </section>
  );
}
