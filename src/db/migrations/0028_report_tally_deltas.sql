CREATE TABLE "report_tally_deltas" (
	"scope" text NOT NULL,
	"dim" text NOT NULL,
	"key" text NOT NULL,
	"n" integer NOT NULL
);
