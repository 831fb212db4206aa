import type { IntakeRepository } from '../../src/ports/store.ts';
import type { Database } from '../client.ts';
import { PLAINTEXT_CIPHER, type ReportCipher } from '../encryption/report-cipher.ts';
import { AUDIT_EVENT_COLUMNS, auditEventRow } from './audit-repository.ts';
import { instantText, jsonRows, runPrepared } from './json-rows.ts';
import { OUTBOX_COLUMNS, outboxRow } from './outbox-repository.ts';
import { NEW_REPORT_COLUMNS, newReportRow } from './report-repository.ts';

/**
 * Per submission: the report already filed with its key, the reporter's count since the start of the
 * hour, and a number for it unless one of those two refuses it. Numbers come from the sequence in
 * submission order; a report refused later (by the same reporter's other submissions in the batch)
 * leaves a gap, as a rolled-back insert always has.
 */
const RESERVE = `
  select q.i, x.existing, x.recent,
    case when x.existing is null and (q.per_hour = 0 or x.recent < q.per_hour)
      then nextval('report_number_seq') end as number
  from jsonb_to_recordset($1::text::jsonb)
    as q(i int, key text, platform text, user_id text, per_hour int, since timestamptz)
  cross join lateral (
    select (select r.id from reports r where r.submission_key = q.key) as existing,
      case when q.per_hour = 0 then 0 else (
        select count(*) from reports r
        where r.reporter_platform = q.platform and r.reporter_id = q.user_id and r.received_at >= q.since
      ) end::int as recent
  ) x
  order by q.i`;

/**
 * Reports, their messages and their audit events in one statement, so one atomic write (and one WAL
 * flush) files a whole batch. Messages and events go in array order; the audit chain trigger links each
 * event to the one before it. A report skipped on its submission key takes its rows with it.
 */
const FILE = `
  with new_reports as (
    insert into reports (${NEW_REPORT_COLUMNS})
    select ${NEW_REPORT_COLUMNS} from jsonb_populate_recordset(null::reports, $1::text::jsonb)
    on conflict (submission_key) do nothing
    returning id
  ), new_messages as (
    insert into outbox (${OUTBOX_COLUMNS})
    select ${OUTBOX_COLUMNS} from jsonb_populate_recordset(null::outbox, $2::text::jsonb) with ordinality as m
    where m.report_id in (select id from new_reports)
    order by m.ordinality
  ), new_events as (
    insert into audit_events (${AUDIT_EVENT_COLUMNS})
    select ${AUDIT_EVENT_COLUMNS} from jsonb_populate_recordset(null::audit_events, $3::text::jsonb) with ordinality as e
    where e.report_id in (select id from new_reports)
    order by e.ordinality
  )
  select id from new_reports`;

export const createIntakeRepository = ({
  db,
  cipher = PLAINTEXT_CIPHER,
}: {
  db: Database;
  cipher?: ReportCipher;
}): IntakeRepository => ({
  async reserve(checks) {
    if (checks.length === 0) return [];
    const input = checks.map((check, i) => ({
      i,
      key: check.submissionKey,
      platform: check.reporter.platform,
      user_id: check.reporter.userId,
      per_hour: check.perHour,
      since: instantText(check.since),
    }));
    const rows = await runPrepared<{
      i: number | string;
      existing: string | null;
      recent: number | string;
      number: number | string | null;
    }>(db, 'vulndesk_intake_reserve', RESERVE, [jsonRows(input)]);
    return rows.map((row) => ({
      existingId: row.existing,
      recent: Number(row.recent),
      number: row.number === null ? null : Number(row.number),
    }));
  },

  async file(records) {
    if (records.length === 0) return [];
    const rows = await runPrepared<{ id: string }>(db, 'vulndesk_intake_file', FILE, [
      jsonRows(records.map((r) => newReportRow(r.report, cipher))),
      jsonRows(records.flatMap((r) => r.messages.map(outboxRow))),
      jsonRows(records.map((r) => auditEventRow(r.event))),
    ]);
    return rows.map((row) => row.id);
  },
});
