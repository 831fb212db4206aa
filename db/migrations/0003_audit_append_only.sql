-- The audit trail is append-only in the database itself, and every row carries a hash of the one
-- before it (in chain order), so a changed or removed row breaks the chain that audit:verify checks.
CREATE OR REPLACE FUNCTION audit_events_row_digest(e audit_events) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(
    e.prev_hash || '|' || e.chain_seq::text || '|' || e.report_id || '|' || e.actor_platform || '|' ||
    e.actor_id || '|' || e.actor_name || '|' || e.action || '|' || e.before::text || '|' || e.after::text || '|' ||
    to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
  'UTF8')), 'hex')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  last_row record;
BEGIN
  -- One appender at a time, so each row links to the row committed before it.
  PERFORM pg_advisory_xact_lock(727274911);
  SELECT chain_seq, hash INTO last_row FROM audit_events ORDER BY chain_seq DESC LIMIT 1;
  NEW.chain_seq := COALESCE(last_row.chain_seq, 0) + 1;
  NEW.prev_hash := COALESCE(last_row.hash, '');
  NEW.hash := audit_events_row_digest(NEW);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
DO $$
DECLARE
  r record;
  seq bigint := 0;
  prev text := '';
BEGIN
  FOR r IN SELECT id FROM audit_events ORDER BY id LOOP
    seq := seq + 1;
    UPDATE audit_events SET chain_seq = seq, prev_hash = prev WHERE id = r.id;
    UPDATE audit_events a SET hash = audit_events_row_digest(a) WHERE id = r.id RETURNING hash INTO prev;
  END LOOP;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_chain();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
