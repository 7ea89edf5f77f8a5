CREATE TABLE `usage_daily` (
	`time_zone` text NOT NULL,
	`day` text NOT NULL,
	`source` text NOT NULL,
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
	`ttft_p50_ms` real,
	`ttft_p95_ms` real,
	`tokens_per_second_p50` real,
	`tokens_per_second_p95` real
);
--> statement-breakpoint
CREATE INDEX `usage_daily_zone_day_idx` ON `usage_daily` (`time_zone`,`day`);--> statement-breakpoint
CREATE TABLE `usage_daily_entities` (
	`time_zone` text NOT NULL,
	`day` text NOT NULL,
	`type` text NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `usage_daily_entities_zone_day_idx` ON `usage_daily_entities` (`time_zone`,`day`);--> statement-breakpoint
CREATE TABLE `usage_rollup_days` (
	`time_zone` text NOT NULL,
	`day` text NOT NULL,
	`day_start` integer NOT NULL,
	`day_end` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `usage_rollup_days_zone_day_idx` ON `usage_rollup_days` (`time_zone`,`day`);--> statement-breakpoint
CREATE INDEX `usage_rollup_days_span_idx` ON `usage_rollup_days` (`day_start`,`day_end`);--> statement-breakpoint
CREATE INDEX `usage_requests_latency_idx` ON `usage_requests` (`outcome`,`model`,`provider`,`location`,`created_at`,`time_to_first_token_ms`,`tokens_per_second`);--> statement-breakpoint
CREATE INDEX `usage_requests_cloud_cost_idx` ON `usage_requests` (`created_at`,`provider`,`cost_usd`) WHERE "usage_requests"."location" = 'cloud';