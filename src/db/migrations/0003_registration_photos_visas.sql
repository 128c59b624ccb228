CREATE TABLE "person_photos" (
	"person_id" text PRIMARY KEY NOT NULL,
	"jpeg" "bytea" NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visa_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"registration_id" text NOT NULL,
	"passport_name" text NOT NULL,
	"passport_number" text NOT NULL,
	"passport_expiry" text,
	"nationality" text NOT NULL,
	"date_of_birth" text NOT NULL,
	"visa_place" text NOT NULL,
	"letter_locale" text DEFAULT 'en' NOT NULL,
	"state" text DEFAULT 'requested' NOT NULL,
	"reference" text,
	"pdf" "bytea",
	"issued_at" timestamp with time zone,
	"issued_by" text,
	"sent_count" integer DEFAULT 0 NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "visa_requests_state_check" CHECK ("visa_requests"."state" in ('requested', 'issued')),
	CONSTRAINT "visa_requests_locale_check" CHECK ("visa_requests"."letter_locale" in ('en', 'fr'))
);
--> statement-breakpoint
ALTER TABLE "registration_settings" ADD COLUMN "eligible_functions" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "registration_settings" ADD COLUMN "invitation_only" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "person_photos" ADD CONSTRAINT "person_photos_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visa_requests" ADD CONSTRAINT "visa_requests_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "visa_requests_registration_uniq" ON "visa_requests" USING btree ("registration_id");--> statement-breakpoint
CREATE UNIQUE INDEX "visa_requests_reference_uniq" ON "visa_requests" USING btree ("reference");