import { and, asc, count, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import { type Actor, isClosed, type Report } from '../../src/domain/report.ts';
import type { ReportFilter, ReportRepository, StoredReport } from '../../src/ports/store.ts';
import type { Database } from '../client.ts';
import { rowsOf } from '../client.ts';
import { PLAINTEXT_CIPHER, type ReportCipher } from '../encryption/report-cipher.ts';
import { reports } from '../schema.ts';
import { runPrepared } from './json-rows.ts';
import { textArray } from './pg-arrays.ts';
import { tableRows } from './table-rows.ts';

type Row = typeof reports.$inferSelect;

const actorFrom = (platform: string | null, id: string | null, name: string | null): Actor | null =>
  platform && id ? ({ platform, userId: id, displayName: name ?? id } as Actor) : null;

const toReport = (row: Row, cipher: ReportCipher): StoredReport => ({
  id: row.id,
  number: row.number,
  submissionKey: row.submissionKey,
  title: cipher.open(row.id, row.title),
  asset: row.asset,
  description: cipher.open(row.id, row.description),
  impact: cipher.open(row.id, row.impact),
  severityGuess: cipher.open(row.id, row.severityGuess),
  reporter: actorFrom(row.reporterPlatform, row.reporterId, row.reporterName) as Actor,
  policyAcceptedAt: row.policyAcceptedAt,
  status: row.status as Report['status'],
  statusBeforeNeedsInfo: row.statusBeforeNeedsInfo as Report['status'] | null,
  severity: row.severity as Report['severity'],
  cvssVector: row.cvssVector,
  cvssScore: row.cvssScore,
  assignee: actorFrom(row.assigneePlatform, row.assigneeId, row.assigneeName),
  duplicateOf: row.duplicateOf,
  outOfScopeReason: row.outOfScopeReason as Report['outOfScopeReason'],
  closeNote: row.closeNote,
  receivedAt: row.receivedAt,
  acknowledgedAt: row.acknowledgedAt,
  triagedAt: row.triagedAt,
  fixedAt: row.fixedAt,
  disclosedAt: row.disclosedAt,
  ackDueAt: row.ackDueAt,
  triageDueAt: row.triageDueAt,
  remediationDueOn: row.remediationDueOn,
  disclosureOn: row.disclosureOn,
  updatedAt: row.updatedAt,
});

const mutableColumns = (report: Report, cipher: ReportCipher) => ({
  title: cipher.seal(report.id, report.title),
  asset: report.asset,
  description: cipher.seal(report.id, report.description),
  impact: cipher.seal(report.id, report.impact),
  severityGuess: cipher.seal(report.id, report.severityGuess),
  status: report.status,
  statusBeforeNeedsInfo: report.statusBeforeNeedsInfo,
  severity: report.severity,
  cvssVector: report.cvssVector,
  cvssScore: report.cvssScore,
  assigneePlatform: report.assignee?.platform ?? null,
  assigneeId: report.assignee?.userId ?? null,
  assigneeName: report.assignee?.displayName ?? null,
  duplicateOf: report.duplicateOf,
  outOfScopeReason: report.outOfScopeReason,
  closeNote: report.closeNote,
  acknowledgedAt: report.acknowledgedAt,
  triagedAt: report.triagedAt,
  fixedAt: report.fixedAt,
  disclosedAt: report.disclosedAt,
  ackDueAt: report.ackDueAt,
  triageDueAt: report.triageDueAt,
  remediationDueOn: report.remediationDueOn,
  disclosureOn: report.disclosureOn,
  isOpen: !isClosed(report.status) && report.status !== 'disclosed',
  updatedAt: report.updatedAt,
});

/**
 * The statements of every triage change, built once and run as named prepared statements: Drizzle's
 * query building was a large share of the CPU each click cost.
 */
const reportRows = tableRows(reports);
const SELECT_BY_ID = `select ${reportRows.selectList} from reports where id = $1`;
const SELECT_FOR_UPDATE = `${SELECT_BY_ID} for update`;
const SELECT_BY_IDS = `select ${reportRows.selectList} from reports where id = any($1::text[])`;
const MUTABLE_KEYS = Object.keys(
  mutableColumns(
    { id: '', title: '', description: '', impact: '', severityGuess: '', status: 'new' } as Report,
    PLAINTEXT_CIPHER,
  ),
) as (keyof Row)[];
const UPDATE_REPORT = reportRows.updateBy('reports', 'id', MUTABLE_KEYS);

/** Every column of a new report: who filed it and when, then everything a change may rewrite. */
const newReportColumns = (report: StoredReport, cipher: ReportCipher) => ({
  id: report.id,
  number: report.number,
  submissionKey: report.submissionKey,
  reporterPlatform: report.reporter.platform,
  reporterId: report.reporter.userId,
  reporterName: report.reporter.displayName,
  policyAcceptedAt: report.policyAcceptedAt,
  receivedAt: report.receivedAt,
  ...mutableColumns(report, cipher),
});

/** A new report as one JSON object keyed by column name (see NEW_REPORT_COLUMNS). */
export const newReportRow = (report: StoredReport, cipher: ReportCipher): Record<string, unknown> =>
  reportRows.byColumnName(newReportColumns(report, cipher));

/** Every column a new report is inserted with, as `newReportRow` names them. */
export const NEW_REPORT_COLUMNS = Object.keys(
  newReportRow(
    {
      id: '',
      title: '',
      description: '',
      impact: '',
      severityGuess: '',
      status: 'new',
      reporter: {},
    } as StoredReport,
    PLAINTEXT_CIPHER,
  ),
).join(', ');

export const createReportRepository = ({
  db,
  cipher = PLAINTEXT_CIPHER,
}: {
  db: Database;
  cipher?: ReportCipher;
}): ReportRepository => ({
  async nextNumber() {
    const [row] = rowsOf<{ n: string | number }>(
      await db.execute(sql`select nextval('report_number_seq') as n`),
    );
    return Number(row?.n);
  },

  async insert(report) {
    await db.insert(reports).values({
      ...mutableColumns(report, cipher),
      id: report.id,
      number: report.number,
      submissionKey: report.submissionKey,
      reporterPlatform: report.reporter.platform,
      reporterId: report.reporter.userId,
      reporterName: report.reporter.displayName,
      policyAcceptedAt: report.policyAcceptedAt,
      receivedAt: report.receivedAt,
    });
  },

  async findById(id, options) {
    const rows = options?.forUpdate
      ? await runPrepared<Record<string, unknown>>(db, 'vulndesk_report_for_update', SELECT_FOR_UPDATE, [id])
      : await runPrepared<Record<string, unknown>>(db, 'vulndesk_report_by_id', SELECT_BY_ID, [id]);
    return rows[0] ? toReport(reportRows.fromDriver(rows[0]), cipher) : null;
  },

  async findBySubmissionKey(key) {
    const rows = await db.select().from(reports).where(eq(reports.submissionKey, key));
    return rows[0] ? toReport(rows[0], cipher) : null;
  },

  async update(report) {
    const values = mutableColumns(report, cipher);
    await runPrepared(
      db,
      'vulndesk_report_update',
      UPDATE_REPORT.text,
      UPDATE_REPORT.params(report.id, values),
    );
  },

  async list(filter: ReportFilter) {
    const conditions = [];
    if (filter.statuses) {
      conditions.push(inArray(reports.status, [...filter.statuses]));
      if (filter.statuses.every((s) => !isClosed(s) && s !== 'disclosed'))
        conditions.push(eq(reports.isOpen, true));
    }
    if (filter.assignee) {
      conditions.push(
        eq(reports.assigneePlatform, filter.assignee.platform),
        eq(reports.assigneeId, filter.assignee.userId),
      );
    }
    if (filter.reporter) {
      conditions.push(
        eq(reports.reporterPlatform, filter.reporter.platform),
        eq(reports.reporterId, filter.reporter.userId),
      );
    }
    const rows = await db
      .select()
      .from(reports)
      .where(and(...conditions))
      .orderBy(filter.reporter ? desc(reports.number) : asc(reports.number))
      .limit(filter.limit ?? 100);
    return rows.map((row) => toReport(row, cipher));
  },

  async countByReporterSince(reporter, since) {
    const [row] = await db
      .select({ n: count() })
      .from(reports)
      .where(
        and(
          eq(reports.reporterPlatform, reporter.platform),
          eq(reports.reporterId, reporter.userId),
          gte(reports.receivedAt, since),
        ),
      );
    return Number(row?.n ?? 0);
  },

  async findByIds(ids) {
    if (ids.length === 0) return [];
    const rows = await runPrepared<Record<string, unknown>>(db, 'vulndesk_reports_by_ids', SELECT_BY_IDS, [
      textArray(ids),
    ]);
    return rows.map((row) => toReport(reportRows.fromDriver(row), cipher));
  },
});
