/**
 * SQL that rewrites clinical.abdm_inbox's kind check as the kinds it allows now plus `add`,
 * minus `remove`. The ABDM migrations that add inbox kinds read the live constraint instead of
 * restating the list, so they compose in any order. The check is always written in the form
 * PostgreSQL prints as `ARRAY['a'::text, 'b'::text]`, and read from either that form or the
 * `'{a,b}'::text[]` one, so no migration loses another's kinds.
 */
export function reshapeInboxKinds(add: string[], remove: string[]): string {
  const arr = (xs: string[]) =>
    xs.length ? `ARRAY[${xs.map((k) => `'${k}'`).join(', ')}]::text[]` : `'{}'::text[]`;
  return `DO $$
  DECLARE v_def text; v_kinds text[];
  BEGIN
    SELECT pg_get_constraintdef(oid) INTO v_def FROM pg_constraint
     WHERE conrelid = 'clinical.abdm_inbox'::regclass AND conname = 'abdm_inbox_kind_check';
    -- The list after ANY, without casts and the ARRAY keyword: only the kinds remain as words.
    v_def := regexp_replace(substring(v_def FROM 'ANY *\\((.*)\\)'), '::text(\\[\\])?|ARRAY', '', 'g');
    SELECT coalesce(array_agg(DISTINCT m[1]), '{}') INTO v_kinds
      FROM regexp_matches(v_def, '([a-z][a-z_0-9]*)', 'g') AS m;
    v_kinds := ARRAY(SELECT DISTINCT k FROM unnest(v_kinds || ${arr(add)}) AS k
                      WHERE k <> ALL (${arr(remove)}) ORDER BY 1);
    ALTER TABLE clinical.abdm_inbox DROP CONSTRAINT abdm_inbox_kind_check;
    EXECUTE format('ALTER TABLE clinical.abdm_inbox ADD CONSTRAINT abdm_inbox_kind_check CHECK (kind = ANY (ARRAY[%s]))',
                   (SELECT string_agg(quote_literal(k) || '::text', ', ') FROM unnest(v_kinds) AS k));
  END $$`;
}
