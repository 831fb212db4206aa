CREATE TABLE "seen_requests" (
	"key" text PRIMARY KEY NOT NULL,
	"seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "seen_requests_at_idx" ON "seen_requests" USING btree ("seen_at");