ALTER TYPE "public"."document_kind" ADD VALUE 'judicial_confirmation';--> statement-breakpoint
ALTER TYPE "public"."warning_rule" ADD VALUE 'judicial_deadline_near';--> statement-breakpoint
CREATE TABLE "courts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_node_id" uuid NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"phone" text NOT NULL,
	"basic" boolean DEFAULT false NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "judicial_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"sealed_agreement_id" uuid NOT NULL,
	"court_id" uuid NOT NULL,
	"court" jsonb NOT NULL,
	"note" text,
	"clauses" jsonb NOT NULL,
	"started_by_id" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"document_id" uuid,
	"filed_on" date,
	"accepted" boolean,
	"acceptance_on" date,
	"ruling" text,
	"ruling_on" date,
	"ruling_number" text,
	"ruling_file_id" uuid,
	"ruling_filename" text,
	CONSTRAINT "judicial_applications_sealed_agreement_id_unique" UNIQUE("sealed_agreement_id"),
	CONSTRAINT "judicial_applications_ruling" CHECK ("judicial_applications"."ruling" in ('confirmed', 'refused'))
);
--> statement-breakpoint
CREATE TABLE "judicial_signatures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"case_party_id" uuid NOT NULL,
	"service_address" text NOT NULL,
	"service_phone" text NOT NULL,
	"image" "bytea" NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
ALTER TABLE "courts" ADD CONSTRAINT "courts_org_node_id_org_nodes_id_fk" FOREIGN KEY ("org_node_id") REFERENCES "public"."org_nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judicial_applications" ADD CONSTRAINT "judicial_applications_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judicial_applications" ADD CONSTRAINT "judicial_applications_sealed_agreement_id_sealed_agreements_id_fk" FOREIGN KEY ("sealed_agreement_id") REFERENCES "public"."sealed_agreements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judicial_applications" ADD CONSTRAINT "judicial_applications_court_id_courts_id_fk" FOREIGN KEY ("court_id") REFERENCES "public"."courts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judicial_applications" ADD CONSTRAINT "judicial_applications_started_by_id_users_id_fk" FOREIGN KEY ("started_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judicial_applications" ADD CONSTRAINT "judicial_applications_document_id_sealed_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."sealed_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judicial_applications" ADD CONSTRAINT "judicial_applications_ruling_file_id_stored_files_id_fk" FOREIGN KEY ("ruling_file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judicial_signatures" ADD CONSTRAINT "judicial_signatures_application_id_judicial_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."judicial_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judicial_signatures" ADD CONSTRAINT "judicial_signatures_case_party_id_case_parties_id_fk" FOREIGN KEY ("case_party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "courts_node_idx" ON "courts" USING btree ("org_node_id");--> statement-breakpoint
CREATE INDEX "judicial_applications_case_idx" ON "judicial_applications" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "judicial_signatures_party_idx" ON "judicial_signatures" USING btree ("application_id","case_party_id");