ALTER TABLE "session_speakers" ADD COLUMN "given_name" text;--> statement-breakpoint
ALTER TABLE "session_speakers" ADD COLUMN "family_name" text;--> statement-breakpoint
ALTER TABLE "session_speakers" ADD COLUMN "given_name_latin" text;--> statement-breakpoint
ALTER TABLE "session_speakers" ADD COLUMN "family_name_latin" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "sdgs" integer[] DEFAULT '{}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_sdgs_check" CHECK ("sessions"."sdgs" <@ array[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]);