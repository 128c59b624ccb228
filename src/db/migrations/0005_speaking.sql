CREATE TABLE "speaking_late_permits" (
	"event_id" integer NOT NULL,
	"entity_id" integer NOT NULL,
	"granted_by" text NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	CONSTRAINT "speaking_late_permits_event_id_entity_id_pk" PRIMARY KEY("event_id","entity_id")
);
--> statement-breakpoint
CREATE TABLE "speaking_reminders" (
	"event_id" integer NOT NULL,
	"days" integer NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"person_id" text DEFAULT '' NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "speaking_reminders_event_id_days_deadline_person_id_pk" PRIMARY KEY("event_id","days","deadline","person_id")
);
--> statement-breakpoint
CREATE TABLE "speaking_requests" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"event_id" integer NOT NULL,
	"entity_id" integer NOT NULL,
	"kind" text NOT NULL,
	"state" text DEFAULT 'submitted' NOT NULL,
	"speaker_person_id" text,
	"honorific" text DEFAULT '' NOT NULL,
	"given_name" text NOT NULL,
	"family_name" text NOT NULL,
	"given_name_latin" text DEFAULT '' NOT NULL,
	"family_name_latin" text DEFAULT '' NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"rank" text NOT NULL,
	"speaker_email" text,
	"speaker_locale" text DEFAULT 'en' NOT NULL,
	"preferred_day" text,
	"language" text NOT NULL,
	"abstract" text DEFAULT '' NOT NULL,
	"reason" text,
	"session_id" integer,
	"manual_position" integer,
	"move_reason" text,
	"late" boolean DEFAULT false NOT NULL,
	"submitted_by" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "speaking_requests_kind_check" CHECK ("speaking_requests"."kind" in ('policy_statement', 'high_level_session', 'ministerial_roundtable', 'regulators_roundtable')),
	CONSTRAINT "speaking_requests_state_check" CHECK ("speaking_requests"."state" in ('submitted', 'accepted', 'declined', 'waitlisted', 'withdrawn')),
	CONSTRAINT "speaking_requests_rank_check" CHECK ("speaking_requests"."rank" in ('head_of_state', 'head_of_government', 'vice_president', 'minister', 'deputy_minister', 'head_of_regulator', 'ambassador', 'other')),
	CONSTRAINT "speaking_requests_language_check" CHECK ("speaking_requests"."language" in ('ar', 'zh', 'en', 'fr', 'ru', 'es')),
	CONSTRAINT "speaking_requests_speaker_locale_check" CHECK ("speaking_requests"."speaker_locale" in ('ar', 'zh', 'en', 'fr', 'ru', 'es')),
	CONSTRAINT "speaking_requests_session_check" CHECK ("speaking_requests"."session_id" is null or "speaking_requests"."state" = 'accepted')
);
--> statement-breakpoint
CREATE TABLE "speaking_session_settings" (
	"session_id" integer PRIMARY KEY NOT NULL,
	"time_limit" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "speaking_session_settings_limit_check" CHECK ("speaking_session_settings"."time_limit" between 30 and 3600)
);
--> statement-breakpoint
CREATE TABLE "speaking_settings" (
	"event_id" integer PRIMARY KEY NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"default_time_limit" integer DEFAULT 180 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "speaking_settings_limit_check" CHECK ("speaking_settings"."default_time_limit" between 30 and 3600)
);
--> statement-breakpoint
ALTER TABLE "speaking_late_permits" ADD CONSTRAINT "speaking_late_permits_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "speaking_late_permits" ADD CONSTRAINT "speaking_late_permits_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "speaking_reminders" ADD CONSTRAINT "speaking_reminders_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "speaking_requests" ADD CONSTRAINT "speaking_requests_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "speaking_requests" ADD CONSTRAINT "speaking_requests_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "speaking_requests" ADD CONSTRAINT "speaking_requests_speaker_person_id_people_id_fk" FOREIGN KEY ("speaker_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "speaking_requests" ADD CONSTRAINT "speaking_requests_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "speaking_session_settings" ADD CONSTRAINT "speaking_session_settings_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "speaking_settings" ADD CONSTRAINT "speaking_settings_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "speaking_requests_live_uniq" ON "speaking_requests" USING btree ("event_id","entity_id","kind") WHERE "speaking_requests"."state" in ('submitted', 'accepted', 'waitlisted');--> statement-breakpoint
CREATE INDEX "speaking_requests_event_state_idx" ON "speaking_requests" USING btree ("event_id","state");--> statement-breakpoint
CREATE INDEX "speaking_requests_session_idx" ON "speaking_requests" USING btree ("session_id");