CREATE TABLE `usage_requests` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` integer NOT NULL,
	`source` text NOT NULL,
	`model` text NOT NULL,
	`provider` text,
	`location` text NOT NULL,
	`outcome` text NOT NULL,
	`block_reason` text,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`time_to_first_token_ms` real,
	`tokens_per_second` real,
	`total_ms` real,
	`cost_usd` real,
	`conversation_id` text,
	`entity_counts` text DEFAULT '{}' NOT NULL,
	`redacted_entities` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `usage_requests_created_idx` ON `usage_requests` (`created_at`);--> statement-breakpoint
CREATE INDEX `usage_requests_redacted_idx` ON `usage_requests` (`created_at`) WHERE "usage_requests"."redacted_entities" > 0;--> statement-breakpoint
-- Earlier usage, so the dashboard starts with the history already stored: every chat reply with metrics
-- (the app and the CLI were not told apart then: counted as the app) and every API request that went to the cloud.
INSERT INTO `usage_requests` (`created_at`, `source`, `model`, `provider`, `location`, `outcome`, `prompt_tokens`, `completion_tokens`, `time_to_first_token_ms`, `tokens_per_second`, `total_ms`, `cost_usd`, `conversation_id`)
SELECT m.`created_at`, 'app', r.`model`, r.`provider`, CASE WHEN r.`provider` IS NULL THEN 'local' ELSE 'cloud' END,
  CASE m.`status` WHEN 'stopped' THEN 'stopped' ELSE 'answered' END, r.`prompt_tokens`, r.`completion_tokens`,
  r.`time_to_first_token_ms`, NULLIF(r.`tokens_per_second`, 0), r.`total_ms`, r.`cost_usd`, m.`conversation_id`
FROM `reply_metrics` r JOIN `messages` m ON m.`id` = r.`message_id` ORDER BY m.`created_at`;
--> statement-breakpoint
INSERT INTO `usage_requests` (`created_at`, `source`, `model`, `provider`, `location`, `outcome`, `prompt_tokens`, `completion_tokens`, `cost_usd`, `entity_counts`, `redacted_entities`)
SELECT e.`created_at`, 'api', e.`provider` || '/' || e.`model`, e.`provider`, 'cloud',
  CASE e.`status` WHEN 'completed' THEN 'answered' WHEN 'aborted' THEN 'stopped' ELSE 'failed' END,
  coalesce(e.`prompt_tokens`, 0), coalesce(e.`completion_tokens`, 0), e.`cost_usd`, e.`entity_counts`,
  (SELECT coalesce(sum(j.`value`), 0) FROM json_each(e.`entity_counts`) j)
FROM `egress_ledger` e WHERE e.`source` = 'api' ORDER BY e.`created_at`;
