CREATE INDEX "scans_admitted_at_idx" ON "scans" USING btree ("scanned_at","id") WHERE "scans"."result" = 'admitted';--> statement-breakpoint
CREATE INDEX "registrations_submitted_idx" ON "registrations" USING btree ("submitted_at","id");--> statement-breakpoint
CREATE INDEX "registrations_person_idx" ON "registrations" USING btree ("person_id");