ALTER TABLE "people" ADD COLUMN "entity_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "entity_verified_by" text;--> statement-breakpoint
-- Affiliations already vouched for: a focal point of their own entity, or a registration for that entity that was approved.
UPDATE "people" p SET "entity_verified_at" = now(), "entity_verified_by" = 'system:migration'
WHERE p."entity_id" IS NOT NULL AND (
  EXISTS (SELECT 1 FROM "focal_points" f WHERE f."person_id" = p."id" AND f."entity_id" = p."entity_id")
  OR EXISTS (SELECT 1 FROM "registrations" r WHERE r."person_id" = p."id" AND r."entity_id" = p."entity_id" AND r."state" IN ('approved', 'waitlisted') AND r."decided_by" IS NOT NULL)
);
