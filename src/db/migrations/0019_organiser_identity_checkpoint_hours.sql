CREATE TABLE "organiser_identity" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"name" jsonb NOT NULL,
	"short_name" jsonb NOT NULL,
	"address" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"logo_png" "bytea",
	"logo_width" integer,
	"logo_height" integer,
	"logo_sha256" text,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "organiser_identity_one_row" CHECK ("organiser_identity"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "checkpoint_hours" (
	"checkpoint" text NOT NULL,
	"day" date NOT NULL,
	"opens" text NOT NULL,
	"closes" text NOT NULL,
	CONSTRAINT "checkpoint_hours_checkpoint_day_pk" PRIMARY KEY("checkpoint","day"),
	CONSTRAINT "checkpoint_hours_format" CHECK ("checkpoint_hours"."opens" ~ '^[0-2][0-9]:[0-5][0-9]$' and "checkpoint_hours"."closes" ~ '^[0-2][0-9]:[0-5][0-9]$'),
	CONSTRAINT "checkpoint_hours_order" CHECK ("checkpoint_hours"."opens" < "checkpoint_hours"."closes")
);
