/**
 * Fast seeding of the reports table with `generate_series` (INSERT ... SELECT), in the shape
 * db/schema.ts defines: closed history (`is_open` false) and a set of open reports, the newest ones,
 * as in a real deployment where old reports have been closed. Works on PostgreSQL and PGlite.
 */

/** Runs one SQL statement (no parameters). */
export type Exec = (sql: string) => Promise<unknown>;

const OPEN = `(array['new','acknowledged','needs_info','triaged','fixing','fixed'])`;
const CLOSED = `(array['disclosed','out_of_scope','duplicate','informative','not_applicable','spam'])`;
const SEVERITY = `(array['critical','high','medium','low',null])`;

const reportId = (prefix: string) =>
  `'${prefix}-' || case when n < 10000 then lpad(n::text, 4, '0') else n::text end`;

const COLUMNS = `id, number, title, asset, description, impact, severity_guess, reporter_platform, reporter_id,
  reporter_name, policy_accepted_at, status, severity, received_at, acknowledged_at, triaged_at, fixed_at,
  disclosed_at, ack_due_at, triage_due_at, remediation_due_on, disclosure_on, is_open, updated_at`;

/** Closed reports numbered `from`..`to`, spread over the years before the open ones. */
export const insertClosed = (exec: Exec, from: number, to: number, prefix = 'VULN'): Promise<unknown> =>
  from > to
    ? Promise.resolve()
    : exec(`insert into reports (${COLUMNS})
  select ${reportId(prefix)}, n, 'Seeded closed report ' || n, 'api.example.com',
    'Seeded description of report ' || n || ' with steps to reproduce.', 'Seeded impact', '',
    'slack', 'US' || (n % 5000), 'seed' || (n % 5000), t, s, ${SEVERITY}[1 + n % 5], t, t + interval '1 day',
    t + interval '2 days', null, case when s = 'disclosed' then t + interval '90 days' end,
    t + interval '2 days', t + interval '5 days', null, (t + interval '90 days')::date, false, t + interval '3 days'
  from (
    select n, now() - interval '60 days' - (${to} - n) * interval '1 minute' as t, ${CLOSED}[1 + n % 6] as s
    from generate_series(${from}, ${to}) as n
  ) as g`);

/** Open reports numbered `from`..`to`: received over the last 60 days, every open status, some overdue. */
export const insertOpen = (exec: Exec, from: number, to: number, prefix = 'VULN'): Promise<unknown> =>
  from > to
    ? Promise.resolve()
    : exec(`insert into reports (${COLUMNS})
  select ${reportId(prefix)}, n, 'Seeded open report ' || n, 'api.example.com',
    'Seeded description of report ' || n || ' with steps to reproduce.', 'Seeded impact', 'high',
    'slack', 'US' || (n % 5000), 'seed' || (n % 5000), t, s,
    case when s in ('new', 'acknowledged', 'needs_info') then null else ${SEVERITY}[1 + n % 5] end, t,
    case when s = 'new' then null else t + interval '1 day' end,
    case when s in ('triaged', 'fixing', 'fixed') then t + interval '2 days' end,
    case when s = 'fixed' then t + interval '10 days' end, null,
    t + interval '2 days', t + interval '5 days',
    case when s in ('triaged', 'fixing', 'fixed') then (t + interval '32 days')::date end,
    (t + interval '90 days')::date, true, t
  from (
    select n, now() - (n % 60) * interval '1 day' - (n % 1440) * interval '1 minute' as t, ${OPEN}[1 + n % 6] as s
    from generate_series(${from}, ${to}) as n
  ) as g`);

/** Closes every open report (as if the team had worked through them), keeping history. */
export const closeAllOpen = (exec: Exec): Promise<unknown> =>
  exec(`update reports set is_open = false, status = 'disclosed', disclosed_at = updated_at, fixed_at = coalesce(fixed_at, updated_at)
  where is_open`);

export const syncSequence = (exec: Exec): Promise<unknown> =>
  exec(`select setval('report_number_seq', greatest((select coalesce(max(number), 0) from reports), 1))`);

/**
 * Grows the table from `current` to `total` reports with exactly `open` of them open (the newest):
 * the previously open ones are closed, new closed history is added, then new open reports.
 */
export const growReports = async (
  exec: Exec,
  current: number,
  total: number,
  open: number,
): Promise<void> => {
  await closeAllOpen(exec);
  await insertClosed(exec, current + 1, total - open);
  await insertOpen(exec, total - open + 1, total);
  await syncSequence(exec);
};

/** Triage cards for reports `from`..`to`: the card message ts the fake's chat.update will name. */
export const cardTs = (number: number): string => `1700000000.${String(number).padStart(6, '0')}`;

export const insertCards = (exec: Exec, from: number, to: number, channel: string): Promise<unknown> =>
  exec(`insert into cards (report_id, platform, channel_id, message_id, thread_id, rendered_version)
  select r.id, 'slack', '${channel}', '1700000000.' || lpad(r.number::text, 6, '0'),
    '1700000000.' || lpad(r.number::text, 6, '0'), r.updated_at
  from reports r where r.number between ${from} and ${to}`);
