CREATE TABLE "app_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "entities" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"code" text,
	"name" jsonb NOT NULL,
	"country" text,
	"itu_region" text,
	"itud_region" text,
	"un_group" text,
	"merged_into" integer,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "entities_kind_check" CHECK ("entities"."kind" in ('member_state', 'sector_member', 'associate', 'academia', 'un_system', 'intl_org', 'civil_society', 'private_sector', 'media')),
	CONSTRAINT "entities_itu_region_check" CHECK ("entities"."itu_region" is null or "entities"."itu_region" in ('A', 'B', 'C', 'D', 'E')),
	CONSTRAINT "entities_member_state_code_check" CHECK ("entities"."kind" <> 'member_state' or "entities"."code" ~ '^[A-Z]{2}$')
);
--> statement-breakpoint
CREATE TABLE "focal_points" (
	"entity_id" integer NOT NULL,
	"person_id" text NOT NULL,
	"appointed_at" timestamp with time zone NOT NULL,
	"appointed_by" text NOT NULL,
	CONSTRAINT "focal_points_entity_id_person_id_pk" PRIMARY KEY("entity_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"person_id" text NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "auth_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"person_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip" "inet",
	"user_agent" text DEFAULT '' NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "one_time_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"person_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "one_time_tokens_kind_check" CHECK ("one_time_tokens"."kind" in ('verify', 'sign_in', 'reset'))
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"email" text,
	"email_verified_at" timestamp with time zone,
	"password_hash" text,
	"given_name" text DEFAULT '' NOT NULL,
	"family_name" text DEFAULT '' NOT NULL,
	"given_name_latin" text DEFAULT '' NOT NULL,
	"family_name_latin" text DEFAULT '' NOT NULL,
	"honorific" text DEFAULT '' NOT NULL,
	"job_title" text DEFAULT '' NOT NULL,
	"preferred_locale" text DEFAULT 'en' NOT NULL,
	"nationality" text,
	"entity_id" integer,
	"function" text DEFAULT '' NOT NULL,
	"role" text DEFAULT 'participant' NOT NULL,
	"capabilities" text[] DEFAULT '{}'::text[] NOT NULL,
	"failed_sign_ins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"erasure_requested_at" timestamp with time zone,
	"erased_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "people_role_check" CHECK ("people"."role" in ('admin', 'staff', 'participant')),
	CONSTRAINT "people_locale_check" CHECK ("people"."preferred_locale" in ('ar', 'zh', 'en', 'fr', 'ru', 'es'))
);
--> statement-breakpoint
CREATE TABLE "throttles" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "entities" ADD CONSTRAINT "entities_merged_into_entities_id_fk" FOREIGN KEY ("merged_into") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "focal_points" ADD CONSTRAINT "focal_points_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "focal_points" ADD CONSTRAINT "focal_points_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "one_time_tokens" ADD CONSTRAINT "one_time_tokens_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "entities_kind_code_uniq" ON "entities" USING btree ("kind","code") WHERE "entities"."code" is not null and "entities"."merged_into" is null;--> statement-breakpoint
CREATE INDEX "entities_kind_idx" ON "entities" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "focal_points_person_idx" ON "focal_points" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "api_tokens_person_idx" ON "api_tokens" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "auth_sessions_person_idx" ON "auth_sessions" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "one_time_tokens_person_idx" ON "one_time_tokens" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "people_email_uniq" ON "people" USING btree ("email") WHERE "people"."email" is not null;--> statement-breakpoint
CREATE INDEX "people_entity_idx" ON "people" USING btree ("entity_id");