CREATE TABLE `usage_daily_models` (
	`time_zone` text NOT NULL,
	`day` text NOT NULL,
	`location` text NOT NULL,
	`provider` text,
	`model` text NOT NULL,
	`requests` integer NOT NULL,
	`answered` integer NOT NULL,
	`stopped` integer NOT NULL,
	`failed` integer NOT NULL,
	`blocked` integer NOT NULL,
	`blocked_by_privacy` integer NOT NULL,
	`blocked_by_detection` integer NOT NULL,
	`blocked_by_budget` integer NOT NULL,
	`prompt_tokens` integer NOT NULL,
	`completion_tokens` integer NOT NULL,
	`cost_usd` real NOT NULL,
	`redacted_entities` integer NOT NULL,
	`ttft_samples` blob,
	`tokens_per_second_samples` blob
);
--> statement-breakpoint
CREATE INDEX `usage_daily_models_zone_day_idx` ON `usage_daily_models` (`time_zone`,`day`);--> statement-breakpoint
CREATE TABLE `usage_daily_sources` (
	`time_zone` text NOT NULL,
	`day` text NOT NULL,
	`source` text NOT NULL,
	`requests` integer NOT NULL,
	`prompt_tokens` integer NOT NULL,
	`completion_tokens` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `usage_daily_sources_zone_day_idx` ON `usage_daily_sources` (`time_zone`,`day`);--> statement-breakpoint
DROP TABLE `usage_daily`;--> statement-breakpoint
DROP INDEX `usage_requests_latency_idx`;--> statement-breakpoint
DROP INDEX `usage_requests_cloud_cost_idx`;--> statement-breakpoint
-- The rollups are a cache: forget every rolled-up day, so each is summed again into the new tables.
DELETE FROM `usage_rollup_days`;--> statement-breakpoint
DELETE FROM `usage_daily_entities`;
