CREATE TABLE "funding_acknowledgements" (
	"id" serial PRIMARY KEY NOT NULL,
	"pledge_id" integer NOT NULL,
	"event" text NOT NULL,
	"reference" text NOT NULL,
	"locale" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"pdf" "bytea",
	"mailed_at" timestamp with time zone,
	"mail_job_id" integer,
	CONSTRAINT "funding_acknowledgements_event_check" CHECK ("funding_acknowledgements"."event" in ('confirmed', 'paid'))
);
--> statement-breakpoint
CREATE TABLE "funding_instalments" (
	"pledge_id" integer NOT NULL,
	"seq" integer NOT NULL,
	"due_on" date NOT NULL,
	"amount_minor" bigint NOT NULL,
	CONSTRAINT "funding_instalments_amount_check" CHECK ("funding_instalments"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "funding_payments" (
	"id" serial PRIMARY KEY NOT NULL,
	"pledge_id" integer NOT NULL,
	"received_on" date NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"rate_to_chf" text NOT NULL,
	"chf_minor" bigint NOT NULL,
	"pledge_minor" bigint NOT NULL,
	"bank_reference" text DEFAULT '' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"reverses" integer,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "funding_payments_currency_check" CHECK ("funding_payments"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "funding_payments_rate_check" CHECK (rate_to_chf ~ '^[0-9]{1,9}(\.[0-9]{1,12})?$'),
	CONSTRAINT "funding_payments_sign_check" CHECK (("funding_payments"."reverses" is null and "funding_payments"."amount_minor" > 0) or ("funding_payments"."reverses" is not null and "funding_payments"."amount_minor" < 0))
);
--> statement-breakpoint
CREATE TABLE "funding_pledges" (
	"id" serial PRIMARY KEY NOT NULL,
	"reference" text NOT NULL,
	"entity_id" integer NOT NULL,
	"kind" text DEFAULT 'cash' NOT NULL,
	"state" text DEFAULT 'announced' NOT NULL,
	"currency" text DEFAULT 'CHF' NOT NULL,
	"amount_minor" bigint NOT NULL,
	"original_amount_minor" bigint NOT NULL,
	"rate_to_chf" text,
	"in_kind_description" text DEFAULT '' NOT NULL,
	"purpose" text DEFAULT 'general' NOT NULL,
	"purpose_detail" text DEFAULT '' NOT NULL,
	"commitment_date" date NOT NULL,
	"commitment_form" text DEFAULT 'announcement' NOT NULL,
	"commitment_reference" text DEFAULT '' NOT NULL,
	"contact_name" text NOT NULL,
	"contact_email" text NOT NULL,
	"contact_locale" text DEFAULT 'en' NOT NULL,
	"recognition" text DEFAULT 'none' NOT NULL,
	"public_name" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"received_minor" bigint DEFAULT 0 NOT NULL,
	"received_chf_minor" bigint DEFAULT 0 NOT NULL,
	"reason" text,
	"announced_by" text NOT NULL,
	"announced_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "funding_pledges_state_check" CHECK ("funding_pledges"."state" in ('announced', 'confirmed', 'partially_paid', 'paid', 'cancelled')),
	CONSTRAINT "funding_pledges_kind_check" CHECK ("funding_pledges"."kind" in ('cash', 'in_kind')),
	CONSTRAINT "funding_pledges_purpose_check" CHECK ("funding_pledges"."purpose" in ('general', 'wsis_prizes', 'ldc_fellowships', 'session', 'partner_package')),
	CONSTRAINT "funding_pledges_form_check" CHECK ("funding_pledges"."commitment_form" in ('announcement', 'letter', 'agreement')),
	CONSTRAINT "funding_pledges_recognition_check" CHECK ("funding_pledges"."recognition" in ('none', 'name', 'name_and_amount')),
	CONSTRAINT "funding_pledges_currency_check" CHECK ("funding_pledges"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "funding_pledges_amount_check" CHECK ("funding_pledges"."amount_minor" > 0 and "funding_pledges"."amount_minor" <= "funding_pledges"."original_amount_minor"),
	CONSTRAINT "funding_pledges_rate_check" CHECK (rate_to_chf is null or rate_to_chf ~ '^[0-9]{1,9}(\.[0-9]{1,12})?$'),
	CONSTRAINT "funding_pledges_locale_check" CHECK ("funding_pledges"."contact_locale" in ('ar', 'zh', 'en', 'fr', 'ru', 'es')),
	CONSTRAINT "funding_pledges_in_kind_check" CHECK ("funding_pledges"."kind" = 'cash' or "funding_pledges"."in_kind_description" <> '')
);
--> statement-breakpoint
CREATE TABLE "funding_tiers" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" jsonb NOT NULL,
	"min_chf_minor" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "funding_tiers_min_check" CHECK ("funding_tiers"."min_chf_minor" >= 0)
);
--> statement-breakpoint
ALTER TABLE "funding_acknowledgements" ADD CONSTRAINT "funding_acknowledgements_pledge_id_funding_pledges_id_fk" FOREIGN KEY ("pledge_id") REFERENCES "public"."funding_pledges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_instalments" ADD CONSTRAINT "funding_instalments_pledge_id_funding_pledges_id_fk" FOREIGN KEY ("pledge_id") REFERENCES "public"."funding_pledges"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_payments" ADD CONSTRAINT "funding_payments_pledge_id_funding_pledges_id_fk" FOREIGN KEY ("pledge_id") REFERENCES "public"."funding_pledges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_payments" ADD CONSTRAINT "funding_payments_reverses_funding_payments_id_fk" FOREIGN KEY ("reverses") REFERENCES "public"."funding_payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_pledges" ADD CONSTRAINT "funding_pledges_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "funding_acknowledgements_event_uniq" ON "funding_acknowledgements" USING btree ("pledge_id","event");--> statement-breakpoint
CREATE UNIQUE INDEX "funding_acknowledgements_reference_uniq" ON "funding_acknowledgements" USING btree ("reference");--> statement-breakpoint
CREATE UNIQUE INDEX "funding_instalments_pk" ON "funding_instalments" USING btree ("pledge_id","seq");--> statement-breakpoint
CREATE INDEX "funding_payments_pledge_idx" ON "funding_payments" USING btree ("pledge_id");--> statement-breakpoint
CREATE UNIQUE INDEX "funding_payments_reverses_uniq" ON "funding_payments" USING btree ("reverses") WHERE "funding_payments"."reverses" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "funding_pledges_reference_uniq" ON "funding_pledges" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "funding_pledges_entity_idx" ON "funding_pledges" USING btree ("entity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "funding_tiers_min_uniq" ON "funding_tiers" USING btree ("min_chf_minor");