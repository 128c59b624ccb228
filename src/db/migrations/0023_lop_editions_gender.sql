CREATE TABLE "report_lop_editions" (
	"id" serial PRIMARY KEY NOT NULL,
	"scope" text NOT NULL,
	"locale" text NOT NULL,
	"edition" text NOT NULL,
	"state" text NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"job_id" bigint,
	"error" text,
	"pdf" "bytea",
	"xlsx" "bytea",
	"dated" text,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "report_lop_editions_state_check" CHECK ("report_lop_editions"."state" in ('queued', 'running', 'done', 'failed')),
	CONSTRAINT "report_lop_editions_edition_check" CHECK ("report_lop_editions"."edition" in ('provisional', 'final'))
);
--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "gender" text;--> statement-breakpoint
CREATE UNIQUE INDEX "report_lop_editions_uniq" ON "report_lop_editions" USING btree ("scope","locale","edition");--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_gender_check" CHECK ("people"."gender" in ('female', 'male', 'another'));--> statement-breakpoint
-- The counters gain the dimension `gender`: emptied here, they are made again from the rows at the worker's start
-- (reports.tallies.ts `catchUpTallies`), or at once with `npm run convene -- reports:rebuild`.
DELETE FROM "report_tallies";--> statement-breakpoint
DELETE FROM "report_subjects";
