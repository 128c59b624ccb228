ALTER TABLE "letter_messages" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
UPDATE "letter_messages" SET "sent_at" = "created_at" WHERE "sent_at" IS NULL;
