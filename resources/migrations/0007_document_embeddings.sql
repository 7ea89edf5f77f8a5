CREATE TABLE `document_embeddings` (
	`chunk_seq` integer PRIMARY KEY NOT NULL,
	`vector` blob NOT NULL,
	FOREIGN KEY (`chunk_seq`) REFERENCES `document_chunks`(`seq`) ON UPDATE no action ON DELETE cascade
);
