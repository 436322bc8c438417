CREATE TABLE "agreement_signatures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version_id" uuid NOT NULL,
	"signer" text NOT NULL,
	"role" text NOT NULL,
	"name" text NOT NULL,
	"image" "bytea" NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"ip" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agreement_signatures_role" CHECK ("agreement_signatures"."role" in ('party', 'mediator', 'expert'))
);
--> statement-breakpoint
CREATE TABLE "seal_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_node_id" uuid NOT NULL,
	"p12" "bytea" NOT NULL,
	"passphrase" text NOT NULL,
	"fingerprint" text NOT NULL,
	"organisation" text,
	"common_name" text,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "seal_keys_fingerprint_unique" UNIQUE("fingerprint"),
	CONSTRAINT "seal_keys_source" CHECK ("seal_keys"."source" in ('generated', 'imported'))
);
--> statement-breakpoint
CREATE TABLE "sealed_agreements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"pdf" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"text_sha256" text NOT NULL,
	"seal_key_id" uuid NOT NULL,
	"pages" integer NOT NULL,
	"sealed_at" timestamp with time zone NOT NULL,
	"superseded_at" timestamp with time zone,
	CONSTRAINT "sealed_agreements_version_id_unique" UNIQUE("version_id"),
	CONSTRAINT "sealed_agreements_sha256_unique" UNIQUE("sha256")
);
--> statement-breakpoint
ALTER TABLE "agreement_signatures" ADD CONSTRAINT "agreement_signatures_version_id_draft_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."draft_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seal_keys" ADD CONSTRAINT "seal_keys_org_node_id_org_nodes_id_fk" FOREIGN KEY ("org_node_id") REFERENCES "public"."org_nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seal_keys" ADD CONSTRAINT "seal_keys_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sealed_agreements" ADD CONSTRAINT "sealed_agreements_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sealed_agreements" ADD CONSTRAINT "sealed_agreements_version_id_draft_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."draft_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sealed_agreements" ADD CONSTRAINT "sealed_agreements_seal_key_id_seal_keys_id_fk" FOREIGN KEY ("seal_key_id") REFERENCES "public"."seal_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agreement_signatures_version_signer_idx" ON "agreement_signatures" USING btree ("version_id","signer");--> statement-breakpoint
CREATE INDEX "seal_keys_org_idx" ON "seal_keys" USING btree ("org_node_id");--> statement-breakpoint
CREATE INDEX "sealed_agreements_case_idx" ON "sealed_agreements" USING btree ("case_id");