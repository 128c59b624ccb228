CREATE TABLE "floor_plans" (
	"floor_id" integer PRIMARY KEY NOT NULL,
	"content_type" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL,
	"uploaded_by" text NOT NULL,
	CONSTRAINT "floor_plans_type_check" CHECK ("floor_plans"."content_type" in ('image/svg+xml', 'image/png', 'image/jpeg')),
	CONSTRAINT "floor_plans_size_check" CHECK ("floor_plans"."width" > 0 and "floor_plans"."height" > 0)
);
--> statement-breakpoint
CREATE TABLE "room_hours" (
	"room_id" integer NOT NULL,
	"day" date NOT NULL,
	"opens" text NOT NULL,
	"closes" text NOT NULL,
	CONSTRAINT "room_hours_room_id_day_pk" PRIMARY KEY("room_id","day"),
	CONSTRAINT "room_hours_order_check" CHECK ("room_hours"."closes" > "room_hours"."opens")
);
--> statement-breakpoint
CREATE TABLE "venue_floors" (
	"id" serial PRIMARY KEY NOT NULL,
	"venue_id" integer NOT NULL,
	"slug" text NOT NULL,
	"name" jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "venue_floors_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "floor_id" integer;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "accessibility" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "plan_x" real;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "plan_y" real;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "floor_plans" ADD CONSTRAINT "floor_plans_floor_id_venue_floors_id_fk" FOREIGN KEY ("floor_id") REFERENCES "public"."venue_floors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_hours" ADD CONSTRAINT "room_hours_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_floors" ADD CONSTRAINT "venue_floors_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rooms" ADD CONSTRAINT "rooms_floor_id_venue_floors_id_fk" FOREIGN KEY ("floor_id") REFERENCES "public"."venue_floors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rooms" ADD CONSTRAINT "rooms_plan_check" CHECK (("rooms"."plan_x" is null) = ("rooms"."plan_y" is null) and ("rooms"."plan_x" is null or ("rooms"."plan_x" between 0 and 100 and "rooms"."plan_y" between 0 and 100)));