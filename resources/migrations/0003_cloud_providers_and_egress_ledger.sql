CREATE TABLE `egress_ledger` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`created_at` integer NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`conversation_id` text,
	`source` text NOT NULL,
	`privacy_mode` text NOT NULL,
	`payload` text NOT NULL,
	`entity_counts` text NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`prompt_tokens` integer,
	`completion_tokens` integer,
	`cost_usd` real
);
--> statement-breakpoint
CREATE UNIQUE INDEX `egress_ledger_id_unique` ON `egress_ledger` (`id`);--> statement-breakpoint
CREATE INDEX `egress_ledger_created_idx` ON `egress_ledger` (`created_at`);--> statement-breakpoint
CREATE INDEX `egress_ledger_provider_idx` ON `egress_ledger` (`provider`,`created_at`);--> statement-breakpoint
CREATE TABLE `providers` (
	`name` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`base_url` text,
	`models` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `conversations` ADD `model` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `route_policy` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `privacy_mode` text;--> statement-breakpoint
ALTER TABLE `reply_metrics` ADD `provider` text;--> statement-breakpoint
ALTER TABLE `reply_metrics` ADD `cost_usd` real;--> statement-breakpoint
ALTER TABLE `reply_metrics` ADD `route` text;