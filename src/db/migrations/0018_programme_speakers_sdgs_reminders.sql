CREATE TABLE "session_reminders" (
	"person_id" text NOT NULL,
	"session_id" integer NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "session_reminders_person_id_session_id_pk" PRIMARY KEY("person_id","session_id")
);
--> statement-breakpoint
ALTER TABLE "session_speakers" ADD COLUMN "given_name" text;--> statement-breakpoint
ALTER TABLE "session_speakers" ADD COLUMN "family_name" text;--> statement-breakpoint
ALTER TABLE "session_speakers" ADD COLUMN "given_name_latin" text;--> statement-breakpoint
ALTER TABLE "session_speakers" ADD COLUMN "family_name_latin" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "sdgs" integer[] DEFAULT '{}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "session_reminders" ADD CONSTRAINT "session_reminders_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_reminders" ADD CONSTRAINT "session_reminders_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_sdgs_check" CHECK ("sessions"."sdgs" <@ array[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]);