CREATE TYPE "public"."follow_up_basis" AS ENUM('agreement', 'next_visit');--> statement-breakpoint
CREATE TYPE "public"."follow_up_method" AS ENUM('phone', 'in_person');--> statement-breakpoint
CREATE TYPE "public"."follow_up_performance" AS ENUM('fully', 'partly', 'not');--> statement-breakpoint
ALTER TYPE "public"."document_kind" ADD VALUE 'follow_up_record' BEFORE 'case_file';--> statement-breakpoint
CREATE TABLE "follow_up_answers" (
	"follow_up_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"performance" "follow_up_performance" NOT NULL,
	"satisfaction" integer NOT NULL,
	"still_in_dispute" boolean NOT NULL,
	"comment" text,
	"answered_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "follow_up_answers_follow_up_id_party_id_pk" PRIMARY KEY("follow_up_id","party_id"),
	CONSTRAINT "follow_up_answers_satisfaction_range" CHECK ("follow_up_answers"."satisfaction" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "follow_ups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"basis" "follow_up_basis" NOT NULL,
	"due_on" date NOT NULL,
	"scheduled_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"due_announced_at" timestamp with time zone,
	"document_id" uuid,
	"recorded_by_id" uuid,
	"recorded_at" timestamp with time zone,
	"method" "follow_up_method",
	"place" text,
	"visited_on" date,
	"party_ids" uuid[],
	"visitor_ids" uuid[],
	"performance" "follow_up_performance",
	"satisfaction" integer,
	"lawsuit" boolean,
	"lawsuit_note" text,
	"risks" text,
	"steps" text,
	"signature" "bytea",
	"ip" text,
	"user_agent" text,
	CONSTRAINT "follow_ups_recorded_whole" CHECK (("follow_ups"."recorded_at" is null) = ("follow_ups"."document_id" is null) and ("follow_ups"."recorded_at" is null) = ("follow_ups"."performance" is null)),
	CONSTRAINT "follow_ups_satisfaction_range" CHECK ("follow_ups"."satisfaction" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "committees" ADD COLUMN "follow_up_days" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "follow_up_answers" ADD CONSTRAINT "follow_up_answers_follow_up_id_follow_ups_id_fk" FOREIGN KEY ("follow_up_id") REFERENCES "public"."follow_ups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_answers" ADD CONSTRAINT "follow_up_answers_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_scheduled_by_id_users_id_fk" FOREIGN KEY ("scheduled_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_document_id_sealed_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."sealed_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_recorded_by_id_users_id_fk" FOREIGN KEY ("recorded_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "follow_ups_case_seq_idx" ON "follow_ups" USING btree ("case_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "follow_ups_open_idx" ON "follow_ups" USING btree ("case_id") WHERE "follow_ups"."recorded_at" is null;--> statement-breakpoint
CREATE INDEX "follow_ups_due_idx" ON "follow_ups" USING btree ("due_on") WHERE "follow_ups"."recorded_at" is null;