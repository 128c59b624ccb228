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
ALTER TABLE "letter_deliveries" ADD COLUMN "message_id" integer;--> statement-breakpoint
ALTER TABLE "letter_messages" ADD CONSTRAINT "letter_messages_letter_id_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."letters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_deliveries" ADD CONSTRAINT "letter_deliveries_message_id_letter_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."letter_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "letter_deliveries_message_idx" ON "letter_deliveries" USING btree ("message_id");--> statement-breakpoint
ALTER TABLE "letter_deliveries" ADD CONSTRAINT "letter_deliveries_subject_check" CHECK (("letter_deliveries"."kind" = 'message' and "letter_deliveries"."message_id" is not null) or ("letter_deliveries"."kind" <> 'message' and "letter_deliveries"."letter_id" is not null));--> statement-breakpoint
ALTER TABLE "letter_deliveries" ADD CONSTRAINT "letter_deliveries_kind_check" CHECK ("letter_deliveries"."kind" in ('letter', 'reminder', 'message'));