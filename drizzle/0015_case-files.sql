ALTER TYPE "public"."document_kind" ADD VALUE 'case_file';--> statement-breakpoint
CREATE TABLE "case_file_counters" (
	"committee_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "case_file_counters_committee_id_year_pk" PRIMARY KEY("committee_id","year")
);
--> statement-breakpoint
CREATE TABLE "retention_periods" (
	"dispute_type" "dispute_type" PRIMARY KEY NOT NULL,
	"period" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "file_number" text;--> statement-breakpoint
ALTER TABLE "case_file_counters" ADD CONSTRAINT "case_file_counters_committee_id_committees_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."committees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_file_number_unique" UNIQUE("file_number");