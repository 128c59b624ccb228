CREATE TABLE "badge_print_batches" (
	"id" serial PRIMARY KEY NOT NULL,
	"filter" text NOT NULL,
	"size" text NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"badge_ids" integer[] NOT NULL,
	"file" text,
	"error" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "badges" (
	"id" serial PRIMARY KEY NOT NULL,
	"person_id" text NOT NULL,
	"token" text NOT NULL,
	"category" text NOT NULL,
	"search_key" text DEFAULT '' NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"print_count" integer DEFAULT 0 NOT NULL,
	"last_printed_at" timestamp with time zone,
	"id_checked_at" timestamp with time zone,
	"id_checked_by" text,
	"collected_at" timestamp with time zone,
	"collected_by" text,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	CONSTRAINT "badges_print_count_check" CHECK ("badges"."print_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "scans" (
	"id" text PRIMARY KEY NOT NULL,
	"badge_id" integer,
	"checkpoint" text NOT NULL,
	"device_id" text NOT NULL,
	"result" text NOT NULL,
	"reason" text,
	"conflict" boolean DEFAULT false NOT NULL,
	"offline" boolean DEFAULT false NOT NULL,
	"scanned_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"scanned_by" text NOT NULL,
	CONSTRAINT "scans_result_check" CHECK ("scans"."result" in ('admitted', 'refused'))
);
--> statement-breakpoint
ALTER TABLE "badges" ADD CONSTRAINT "badges_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scans" ADD CONSTRAINT "scans_badge_id_badges_id_fk" FOREIGN KEY ("badge_id") REFERENCES "public"."badges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "badges_token_uniq" ON "badges" USING btree ("token");--> statement-breakpoint
CREATE UNIQUE INDEX "badges_live_uniq" ON "badges" USING btree ("person_id") WHERE "badges"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "badges_person_idx" ON "badges" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scans_admitted_uniq" ON "scans" USING btree ("badge_id","checkpoint") WHERE "scans"."result" = 'admitted';--> statement-breakpoint
CREATE INDEX "scans_checkpoint_idx" ON "scans" USING btree ("checkpoint","result");