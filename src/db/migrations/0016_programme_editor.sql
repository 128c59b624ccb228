CREATE TABLE "agenda_feeds" (
	"person_id" text PRIMARY KEY NOT NULL,
	"token" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "agenda_feeds_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "agenda_items" (
	"person_id" text NOT NULL,
	"session_id" integer NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	CONSTRAINT "agenda_items_person_id_session_id_pk" PRIMARY KEY("person_id","session_id")
);
--> statement-breakpoint
CREATE TABLE "programme_changes" (
	"version_id" integer NOT NULL,
	"session_code" text NOT NULL,
	"event_id" integer NOT NULL,
	"kind" text NOT NULL,
	"fields" text[] NOT NULL,
	"title" jsonb NOT NULL,
	CONSTRAINT "programme_changes_version_id_session_code_pk" PRIMARY KEY("version_id","session_code"),
	CONSTRAINT "programme_changes_kind_check" CHECK ("programme_changes"."kind" in ('added', 'changed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "programme_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"published_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "room_facilities" (
	"room_id" integer PRIMARY KEY NOT NULL,
	"booths" text[] DEFAULT '{}'::text[] NOT NULL,
	"opens" text DEFAULT '08:00' NOT NULL,
	"closes" text DEFAULT '20:00' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session_drafts" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"session_id" integer,
	"data" jsonb NOT NULL,
	"override_reason" text,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "session_speakers" ADD COLUMN "person_id" text;--> statement-breakpoint
ALTER TABLE "session_speakers" ADD COLUMN "kind" text DEFAULT 'speaker' NOT NULL;--> statement-breakpoint
ALTER TABLE "session_speakers" ADD COLUMN "honorific" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "capacity" integer;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "restrictions" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "join_url" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "webcast_url" text;--> statement-breakpoint
ALTER TABLE "agenda_feeds" ADD CONSTRAINT "agenda_feeds_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_items" ADD CONSTRAINT "agenda_items_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_items" ADD CONSTRAINT "agenda_items_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_changes" ADD CONSTRAINT "programme_changes_version_id_programme_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."programme_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_changes" ADD CONSTRAINT "programme_changes_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_facilities" ADD CONSTRAINT "room_facilities_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_drafts" ADD CONSTRAINT "session_drafts_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agenda_items_session_idx" ON "agenda_items" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "programme_changes_event_idx" ON "programme_changes" USING btree ("event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "session_drafts_code_idx" ON "session_drafts" USING btree ("code");--> statement-breakpoint
ALTER TABLE "session_speakers" ADD CONSTRAINT "session_speakers_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;