CREATE TABLE "digest_claims" (
	"destination" text NOT NULL,
	"day" date NOT NULL,
	"claimed_by" text NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "digest_claims_destination_day_pk" PRIMARY KEY("destination","day")
);
--> statement-breakpoint
CREATE TABLE "reminders" (
	"report_id" text NOT NULL,
	"kind" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "reminders_report_id_kind_pk" PRIMARY KEY("report_id","kind")
);
--> statement-breakpoint
ALTER TABLE "cards" ADD COLUMN "rendered_version" timestamp with time zone;