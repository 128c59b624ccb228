CREATE TABLE "registration_settings" (
	"event_id" integer PRIMARY KEY NOT NULL,
	"opens_at" timestamp with time zone,
	"closes_at" timestamp with time zone,
	"capacity" integer,
	"secretariat_categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "registration_settings_capacity_check" CHECK ("registration_settings"."capacity" is null or "registration_settings"."capacity" >= 0)
);
--> statement-breakpoint
CREATE TABLE "registrations" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"person_id" text NOT NULL,
	"event_id" integer NOT NULL,
	"entity_id" integer,
	"mode" text NOT NULL,
	"state" text NOT NULL,
	"stakeholder_type" text DEFAULT '' NOT NULL,
	"function" text DEFAULT '' NOT NULL,
	"vip_category" text,
	"reason" text,
	"registered_by" text NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"submitted_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "registrations_state_check" CHECK ("registrations"."state" in ('pending_dfp', 'pending_secretariat', 'approved', 'waitlisted', 'rejected', 'withdrawn')),
	CONSTRAINT "registrations_mode_check" CHECK ("registrations"."mode" in ('in_person', 'remote'))
);
--> statement-breakpoint
ALTER TABLE "registration_settings" ADD CONSTRAINT "registration_settings_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_live_uniq" ON "registrations" USING btree ("person_id","event_id") WHERE "registrations"."state" in ('pending_dfp', 'pending_secretariat', 'approved', 'waitlisted');--> statement-breakpoint
CREATE INDEX "registrations_event_state_idx" ON "registrations" USING btree ("event_id","state");--> statement-breakpoint
CREATE INDEX "registrations_entity_state_idx" ON "registrations" USING btree ("entity_id","state");