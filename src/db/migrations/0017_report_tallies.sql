CREATE TABLE "checkpoint_tallies" (
	"checkpoint" text PRIMARY KEY NOT NULL,
	"arrivals" integer DEFAULT 0 NOT NULL,
	"conflicts" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_subjects" (
	"subject" text PRIMARY KEY NOT NULL,
	"keys" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_tallies" (
	"scope" text NOT NULL,
	"dim" text NOT NULL,
	"key" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "report_tallies_scope_dim_key_pk" PRIMARY KEY("scope","dim","key")
);
