CREATE TYPE "public"."case_outcome" AS ENUM('resolved', 'failed', 'withdrawn', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."warning_rule" AS ENUM('repeat_person', 'repeat_household', 'repeat_place', 'village_surge', 'deadline_near', 'deadline_overdue', 'risk_words');--> statement-breakpoint
CREATE TYPE "public"."warning_severity" AS ENUM('low', 'medium', 'high');--> statement-breakpoint
CREATE TYPE "public"."warning_status" AS ENUM('open', 'acknowledged', 'resolved');--> statement-breakpoint
CREATE TABLE "case_statistics" (
	"month" date NOT NULL,
	"committee_id" uuid NOT NULL,
	"committee_path" text NOT NULL,
	"village_id" uuid NOT NULL,
	"dispute_type" "dispute_type" NOT NULL,
	"status" "case_status" NOT NULL,
	"outcome" "case_outcome",
	"cases" integer NOT NULL,
	"duration_days" double precision NOT NULL,
	"with_deadline" integer NOT NULL,
	"overdue" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mediator_statistics" (
	"month" date NOT NULL,
	"mediator_id" uuid NOT NULL,
	"committee_path" text NOT NULL,
	"outcome" "case_outcome",
	"cases" integer NOT NULL,
	"duration_days" double precision NOT NULL,
	"with_deadline" integer NOT NULL,
	"overdue" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "satisfaction_surveys" (
	"party_id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"score" integer NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "satisfaction_surveys_score_range" CHECK ("satisfaction_surveys"."score" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "statistics_refresh" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "statistics_refresh_single_row" CHECK ("statistics_refresh"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "warning_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "warning_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"warning_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"actor_id" uuid NOT NULL,
	"action" text NOT NULL,
	"data" jsonb NOT NULL,
	"ip" text,
	"created_at" timestamp with time zone NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "warning_settings" (
	"org_node_id" uuid PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"updated_by_id" uuid NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "warnings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rule" "warning_rule" NOT NULL,
	"subject_key" text NOT NULL,
	"severity" "warning_severity" NOT NULL,
	"status" "warning_status" DEFAULT 'open' NOT NULL,
	"org_path" text NOT NULL,
	"case_id" uuid,
	"village_id" uuid,
	"details" jsonb NOT NULL,
	"assignee_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "outcome" "case_outcome";--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "ended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "satisfaction_surveys" ADD CONSTRAINT "satisfaction_surveys_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "satisfaction_surveys" ADD CONSTRAINT "satisfaction_surveys_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warning_events" ADD CONSTRAINT "warning_events_warning_id_warnings_id_fk" FOREIGN KEY ("warning_id") REFERENCES "public"."warnings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warning_events" ADD CONSTRAINT "warning_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warning_settings" ADD CONSTRAINT "warning_settings_org_node_id_org_nodes_id_fk" FOREIGN KEY ("org_node_id") REFERENCES "public"."org_nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warning_settings" ADD CONSTRAINT "warning_settings_updated_by_id_users_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warnings" ADD CONSTRAINT "warnings_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warnings" ADD CONSTRAINT "warnings_village_id_org_nodes_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."org_nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warnings" ADD CONSTRAINT "warnings_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_statistics_path_month_idx" ON "case_statistics" USING btree ("committee_path" text_pattern_ops,"month");--> statement-breakpoint
CREATE INDEX "mediator_statistics_path_month_idx" ON "mediator_statistics" USING btree ("committee_path" text_pattern_ops,"month");--> statement-breakpoint
CREATE INDEX "satisfaction_surveys_case_idx" ON "satisfaction_surveys" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "warning_events_warning_seq_idx" ON "warning_events" USING btree ("warning_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "warnings_rule_subject_idx" ON "warnings" USING btree ("rule","subject_key");--> statement-breakpoint
CREATE INDEX "warnings_path_created_idx" ON "warnings" USING btree ("org_path" text_pattern_ops,"created_at");--> statement-breakpoint
CREATE INDEX "warnings_case_idx" ON "warnings" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_parties_phone_idx" ON "case_parties" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "case_parties_address_idx" ON "case_parties" USING btree ("address");--> statement-breakpoint
CREATE INDEX "cases_unfinished_created_idx" ON "cases" USING btree ("created_at","committee_path") WHERE "cases"."status" in ('submitted', 'accepted', 'scheduled', 'in_mediation', 'escalated');