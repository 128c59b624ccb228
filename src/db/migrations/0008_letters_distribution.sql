CREATE TABLE "letter_annexes" (
	"id" serial PRIMARY KEY NOT NULL,
	"letter_id" integer NOT NULL,
	"title" text NOT NULL,
	"filename" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"pdf" "bytea" NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "letter_deliveries" (
	"id" serial PRIMARY KEY NOT NULL,
	"letter_id" integer NOT NULL,
	"kind" text DEFAULT 'letter' NOT NULL,
	"entity_id" integer,
	"email" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"locale" text NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"queued_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "letter_deliveries_state_check" CHECK ("letter_deliveries"."state" in ('queued', 'sent', 'failed', 'bounced')),
	CONSTRAINT "letter_deliveries_kind_check" CHECK ("letter_deliveries"."kind" in ('letter', 'reminder'))
);
--> statement-breakpoint
CREATE TABLE "entity_contacts" (
	"id" serial PRIMARY KEY NOT NULL,
	"entity_id" integer NOT NULL,
	"role" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"email" text NOT NULL,
	"locale" text DEFAULT 'en' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "entity_contacts_role_check" CHECK ("entity_contacts"."role" in ('ministry', 'mission', 'regulator', 'other')),
	CONSTRAINT "entity_contacts_locale_check" CHECK ("entity_contacts"."locale" in ('ar', 'zh', 'en', 'fr', 'ru', 'es'))
);
--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "year" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "number" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "state" text DEFAULT 'draft' NOT NULL;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "audiences" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "body" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "original_language" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "event_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "corrects_id" integer;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "approved_by" text;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "sent_by" text;--> statement-breakpoint
-- Letters loaded before this migration (CL-26/17 from the seed) were sent: number them from their reference.
UPDATE "letters" SET "year" = substring("reference" from '^CL-([0-9]+)/')::integer, "number" = substring("reference" from '/([0-9]+)$')::integer, "state" = 'sent', "original_language" = 'ar', "sent_at" = "sent_on"::timestamptz;--> statement-breakpoint
ALTER TABLE "letters" ALTER COLUMN "year" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "letters" ALTER COLUMN "number" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "letter_annexes" ADD CONSTRAINT "letter_annexes_letter_id_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."letters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_deliveries" ADD CONSTRAINT "letter_deliveries_letter_id_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."letters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_deliveries" ADD CONSTRAINT "letter_deliveries_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entity_contacts" ADD CONSTRAINT "entity_contacts_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "letter_annexes_letter_idx" ON "letter_annexes" USING btree ("letter_id");--> statement-breakpoint
CREATE INDEX "letter_deliveries_letter_idx" ON "letter_deliveries" USING btree ("letter_id","entity_id");--> statement-breakpoint
CREATE INDEX "letter_deliveries_email_idx" ON "letter_deliveries" USING btree ("email","queued_at");--> statement-breakpoint
CREATE UNIQUE INDEX "entity_contacts_entity_email_uniq" ON "entity_contacts" USING btree ("entity_id","email");--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_corrects_id_letters_id_fk" FOREIGN KEY ("corrects_id") REFERENCES "public"."letters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "letters_year_number_uniq" ON "letters" USING btree ("year","number");--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_state_check" CHECK ("letters"."state" in ('draft', 'approved', 'sent'));--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_original_check" CHECK ("letters"."original_language" in ('ar', 'zh', 'en', 'fr', 'ru', 'es'));--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_number_check" CHECK ("letters"."number" > 0 and "letters"."year" between 0 and 99);