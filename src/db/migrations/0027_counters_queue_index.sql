CREATE TABLE "badge_tallies" (
	"category" text PRIMARY KEY NOT NULL,
	"live" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registration_tallies" (
	"event_id" integer NOT NULL,
	"entity_id" integer NOT NULL,
	"state" text NOT NULL,
	"vip_category" text DEFAULT '' NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "registration_tallies_event_id_entity_id_state_vip_category_pk" PRIMARY KEY("event_id","entity_id","state","vip_category")
);
--> statement-breakpoint
DROP INDEX "registrations_event_state_idx";--> statement-breakpoint
CREATE INDEX "registrations_event_state_idx" ON "registrations" USING btree ("event_id","state","submitted_at","id");
--> statement-breakpoint
-- Live badges per category: moved by every insert, update and delete on badges, in the writing transaction.
CREATE FUNCTION "badge_tallies_move"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO badge_tallies AS t (category, live)
      SELECT category, count(*)::int FROM new_rows WHERE revoked_at IS NULL GROUP BY category ORDER BY category
      ON CONFLICT (category) DO UPDATE SET live = t.live + excluded.live;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO badge_tallies AS t (category, live)
      SELECT category, sum(d)::int FROM (
        SELECT category, 1 AS d FROM new_rows WHERE revoked_at IS NULL
        UNION ALL
        SELECT category, -1 FROM old_rows WHERE revoked_at IS NULL) x
      GROUP BY category HAVING sum(d) <> 0 ORDER BY category
      ON CONFLICT (category) DO UPDATE SET live = t.live + excluded.live;
  ELSE
    INSERT INTO badge_tallies AS t (category, live)
      SELECT category, -count(*)::int FROM old_rows WHERE revoked_at IS NULL GROUP BY category ORDER BY category
      ON CONFLICT (category) DO UPDATE SET live = t.live + excluded.live;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "badge_tallies_insert" AFTER INSERT ON "badges" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "badge_tallies_move"();
--> statement-breakpoint
CREATE TRIGGER "badge_tallies_update" AFTER UPDATE ON "badges" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "badge_tallies_move"();
--> statement-breakpoint
CREATE TRIGGER "badge_tallies_delete" AFTER DELETE ON "badges" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "badge_tallies_move"();
--> statement-breakpoint
INSERT INTO "badge_tallies" (category, live)
  SELECT category, count(*)::int FROM badges WHERE revoked_at IS NULL GROUP BY category;
--> statement-breakpoint
-- Registrations per event, entity, state and VIP category: moved the same way on registrations.
CREATE FUNCTION "registration_tallies_move"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO registration_tallies AS t (event_id, entity_id, state, vip_category, n)
      SELECT event_id, entity_id, state, coalesce(vip_category, ''), count(*)::int
      FROM new_rows WHERE entity_id IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (event_id, entity_id, state, vip_category) DO UPDATE SET n = t.n + excluded.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO registration_tallies AS t (event_id, entity_id, state, vip_category, n)
      SELECT event_id, entity_id, state, vip, sum(d)::int FROM (
        SELECT event_id, entity_id, state, coalesce(vip_category, '') AS vip, 1 AS d
        FROM new_rows WHERE entity_id IS NOT NULL
        UNION ALL
        SELECT event_id, entity_id, state, coalesce(vip_category, ''), -1
        FROM old_rows WHERE entity_id IS NOT NULL) x
      GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
      ON CONFLICT (event_id, entity_id, state, vip_category) DO UPDATE SET n = t.n + excluded.n;
  ELSE
    INSERT INTO registration_tallies AS t (event_id, entity_id, state, vip_category, n)
      SELECT event_id, entity_id, state, coalesce(vip_category, ''), -count(*)::int
      FROM old_rows WHERE entity_id IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (event_id, entity_id, state, vip_category) DO UPDATE SET n = t.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "registration_tallies_insert" AFTER INSERT ON "registrations" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "registration_tallies_move"();
--> statement-breakpoint
CREATE TRIGGER "registration_tallies_update" AFTER UPDATE ON "registrations" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "registration_tallies_move"();
--> statement-breakpoint
CREATE TRIGGER "registration_tallies_delete" AFTER DELETE ON "registrations" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "registration_tallies_move"();
--> statement-breakpoint
INSERT INTO "registration_tallies" (event_id, entity_id, state, vip_category, n)
  SELECT event_id, entity_id, state, coalesce(vip_category, ''), count(*)::int
  FROM registrations WHERE entity_id IS NOT NULL GROUP BY 1, 2, 3, 4;
