CREATE TABLE "funding_deliveries" (
	"id" serial PRIMARY KEY NOT NULL,
	"pledge_id" integer NOT NULL,
	"delivered_on" date NOT NULL,
	"description" text NOT NULL,
	"value_minor" bigint NOT NULL,
	"chf_minor" bigint NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "funding_deliveries_value_check" CHECK ("funding_deliveries"."value_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "funding_logos" (
	"entity_id" integer PRIMARY KEY NOT NULL,
	"png" "bytea" NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"sha256" text NOT NULL,
	"alt" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"uploaded_by" text NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "letter_messages" (
	"id" serial PRIMARY KEY NOT NULL,
	"subject" jsonb NOT NULL,
	"body" jsonb NOT NULL,
	"original_language" text NOT NULL,
	"audience" jsonb NOT NULL,
	"letter_id" integer,
	"test" integer DEFAULT 0 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "letter_messages_original_check" CHECK ("letter_messages"."original_language" in ('ar', 'zh', 'en', 'fr', 'ru', 'es'))
);
--> statement-breakpoint
ALTER TABLE "letter_deliveries" DROP CONSTRAINT "letter_deliveries_kind_check";--> statement-breakpoint
ALTER TABLE "letter_deliveries" ALTER COLUMN "letter_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "funding_pledges" ADD COLUMN "event_id" integer;--> statement-breakpoint
ALTER TABLE "funding_tiers" ADD COLUMN "package" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "letter_deliveries" ADD COLUMN "message_id" integer;--> statement-breakpoint
ALTER TABLE "funding_deliveries" ADD CONSTRAINT "funding_deliveries_pledge_id_funding_pledges_id_fk" FOREIGN KEY ("pledge_id") REFERENCES "public"."funding_pledges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_logos" ADD CONSTRAINT "funding_logos_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_messages" ADD CONSTRAINT "letter_messages_letter_id_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."letters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "funding_deliveries_pledge_idx" ON "funding_deliveries" USING btree ("pledge_id");--> statement-breakpoint
ALTER TABLE "funding_pledges" ADD CONSTRAINT "funding_pledges_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_deliveries" ADD CONSTRAINT "letter_deliveries_message_id_letter_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."letter_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "letter_deliveries_message_idx" ON "letter_deliveries" USING btree ("message_id");--> statement-breakpoint
ALTER TABLE "letter_deliveries" ADD CONSTRAINT "letter_deliveries_subject_check" CHECK (("letter_deliveries"."kind" = 'message' and "letter_deliveries"."message_id" is not null) or ("letter_deliveries"."kind" <> 'message' and "letter_deliveries"."letter_id" is not null));--> statement-breakpoint
ALTER TABLE "letter_deliveries" ADD CONSTRAINT "letter_deliveries_kind_check" CHECK ("letter_deliveries"."kind" in ('letter', 'reminder', 'message'));