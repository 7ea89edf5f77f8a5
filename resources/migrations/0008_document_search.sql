-- Full-text index over document chunks: the document's name, the chunk's headings and its text, as three
-- columns so bm25() can weigh them. Porter stemming over unicode61 (diacritics folded). Contentless (the text
-- is in document_chunks), with contentless_delete so triggers can remove a chunk by rowid (document_chunks.seq).
CREATE VIRTUAL TABLE `document_chunks_fts` USING fts5(title, heading, body, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2');
--> statement-breakpoint
-- Documents per term (stemmed), for the query terms' IDF in DocumentIndex's relevance.
CREATE VIRTUAL TABLE `document_chunks_fts_terms` USING fts5vocab(document_chunks_fts, row);
--> statement-breakpoint
INSERT INTO document_chunks_fts(rowid, title, heading, body)
  SELECT c.seq, d.name, (SELECT group_concat(value, ' ') FROM json_each(c.heading_path)), c.text
    FROM document_chunks c JOIN documents d ON d.id = c.document_id;
--> statement-breakpoint
CREATE TRIGGER `document_chunks_fts_insert` AFTER INSERT ON `document_chunks` BEGIN
  INSERT INTO document_chunks_fts(rowid, title, heading, body)
    VALUES (new.seq, (SELECT name FROM documents WHERE id = new.document_id),
            (SELECT group_concat(value, ' ') FROM json_each(new.heading_path)), new.text);
END;
--> statement-breakpoint
CREATE TRIGGER `document_chunks_fts_delete` AFTER DELETE ON `document_chunks` BEGIN
  DELETE FROM document_chunks_fts WHERE rowid = old.seq;
END;
--> statement-breakpoint
CREATE TRIGGER `document_chunks_fts_update` AFTER UPDATE OF `text`, `heading_path`, `document_id` ON `document_chunks` BEGIN
  DELETE FROM document_chunks_fts WHERE rowid = old.seq;
  INSERT INTO document_chunks_fts(rowid, title, heading, body)
    VALUES (new.seq, (SELECT name FROM documents WHERE id = new.document_id),
            (SELECT group_concat(value, ' ') FROM json_each(new.heading_path)), new.text);
END;
--> statement-breakpoint
CREATE TRIGGER `documents_fts_rename` AFTER UPDATE OF `name` ON `documents` BEGIN
  DELETE FROM document_chunks_fts WHERE rowid IN (SELECT seq FROM document_chunks WHERE document_id = new.id);
  INSERT INTO document_chunks_fts(rowid, title, heading, body)
    SELECT c.seq, new.name, (SELECT group_concat(value, ' ') FROM json_each(c.heading_path)), c.text
      FROM document_chunks c WHERE c.document_id = new.id;
END;
