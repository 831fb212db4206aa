CREATE SEQUENCE "public"."report_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"report_id" text NOT NULL,
	"actor_platform" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_name" text NOT NULL,
	"action" text NOT NULL,
	"before" jsonb NOT NULL,
	"after" jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cards" (
	"report_id" text NOT NULL,
	"platform" text NOT NULL,
	"channel_id" text NOT NULL,
	"message_id" text NOT NULL,
	"thread_id" text,
	CONSTRAINT "cards_report_id_platform_pk" PRIMARY KEY("report_id","platform")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"destination" text NOT NULL,
	"report_id" text,
	"ordering_key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"claimed_by" text,
	"lease_until" timestamp with time zone,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" text PRIMARY KEY NOT NULL,
	"number" integer NOT NULL,
	"submission_key" text,
	"title" text NOT NULL,
	"asset" text NOT NULL,
	"description" text NOT NULL,
	"impact" text NOT NULL,
	"severity_guess" text DEFAULT '' NOT NULL,
	"reporter_platform" text NOT NULL,
	"reporter_id" text NOT NULL,
	"reporter_name" text NOT NULL,
	"policy_accepted_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"status_before_needs_info" text,
	"severity" text,
	"cvss_vector" text,
	"cvss_score" double precision,
	"assignee_platform" text,
	"assignee_id" text,
	"assignee_name" text,
	"duplicate_of" text,
	"out_of_scope_reason" text,
	"close_note" text,
	"received_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"triaged_at" timestamp with time zone,
	"fixed_at" timestamp with time zone,
	"disclosed_at" timestamp with time zone,
	"ack_due_at" timestamp with time zone NOT NULL,
	"triage_due_at" timestamp with time zone NOT NULL,
	"remediation_due_on" date,
	"disclosure_on" date NOT NULL,
	"is_open" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "reports_number_unique" UNIQUE("number"),
	CONSTRAINT "reports_submission_key_unique" UNIQUE("submission_key")
);
--> statement-breakpoint
CREATE INDEX "audit_events_report_idx" ON "audit_events" USING btree ("report_id","id");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("next_attempt_at") WHERE "outbox"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_ordering_idx" ON "outbox" USING btree ("ordering_key","id") WHERE "outbox"."state" <> 'delivered';--> statement-breakpoint
CREATE INDEX "reports_open_idx" ON "reports" USING btree ("status") WHERE "reports"."is_open";--> statement-breakpoint
CREATE INDEX "reports_reporter_idx" ON "reports" USING btree ("reporter_platform","reporter_id","received_at");--> statement-breakpoint
CREATE INDEX "reports_assignee_idx" ON "reports" USING btree ("assignee_platform","assignee_id") WHERE "reports"."is_open";