DROP INDEX "cases_deadline_idx";--> statement-breakpoint
DROP INDEX "case_mediators_user_idx";--> statement-breakpoint
CREATE INDEX "cases_open_created_idx" ON "cases" USING btree ("created_at","id") WHERE "cases"."status" in ('accepted', 'scheduled', 'in_mediation');--> statement-breakpoint
CREATE INDEX "cases_open_deadline_idx" ON "cases" USING btree ("deadline") WHERE "cases"."status" in ('accepted', 'scheduled', 'in_mediation');--> statement-breakpoint
CREATE INDEX "case_mediators_user_idx" ON "case_mediators" USING btree ("user_id","case_id");