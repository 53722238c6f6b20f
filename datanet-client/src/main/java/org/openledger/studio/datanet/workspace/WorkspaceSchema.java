package org.openledger.studio.datanet.workspace;

import java.util.List;
import org.openledger.studio.store.Migration;

/**
 * The workspace's tables. Rows are unique per Datanet by (source, hash): adding the same file again, or again after
 * a crash half-way, inserts nothing twice, while an edited line becomes a new row. Row text is indexed by FTS5
 * (external content, kept in step by triggers).
 */
final class WorkspaceSchema {

    private WorkspaceSchema() {
    }

    static List<Migration> migrations() {
        return List.of(Migration.sql(1, "datanets, rows, findings, full-text search, uploads",
                """
                CREATE TABLE workspace_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
                """
                CREATE TABLE datanet (
                  id INTEGER PRIMARY KEY,
                  name TEXT NOT NULL UNIQUE,
                  summary TEXT NOT NULL DEFAULT '',
                  description TEXT NOT NULL DEFAULT '',
                  licence TEXT NOT NULL,
                  owner TEXT NOT NULL,
                  kind TEXT NOT NULL DEFAULT 'text',
                  created_at INTEGER NOT NULL)""",
                """
                CREATE TABLE datanet_tag (
                  datanet_id INTEGER NOT NULL REFERENCES datanet(id) ON DELETE CASCADE,
                  tag TEXT NOT NULL,
                  PRIMARY KEY (datanet_id, tag))""",
                """
                CREATE TABLE datanet_version (
                  datanet_id INTEGER NOT NULL REFERENCES datanet(id) ON DELETE CASCADE,
                  number INTEGER NOT NULL,
                  note TEXT NOT NULL DEFAULT '',
                  created_at INTEGER NOT NULL,
                  PRIMARY KEY (datanet_id, number))""",
                """
                CREATE TABLE batch (
                  id INTEGER PRIMARY KEY,
                  datanet_id INTEGER NOT NULL REFERENCES datanet(id) ON DELETE CASCADE,
                  contributor TEXT NOT NULL,
                  state TEXT NOT NULL CHECK (state IN ('adding', 'added')),
                  created_at INTEGER NOT NULL)""",
                """
                CREATE TABLE batch_file (
                  batch_id INTEGER NOT NULL REFERENCES batch(id) ON DELETE CASCADE,
                  file TEXT NOT NULL,
                  rows INTEGER NOT NULL,
                  problems TEXT NOT NULL,
                  PRIMARY KEY (batch_id, file))""",
                """
                CREATE TABLE datanet_row (
                  id INTEGER PRIMARY KEY,
                  datanet_id INTEGER NOT NULL REFERENCES datanet(id) ON DELETE CASCADE,
                  batch_id INTEGER NOT NULL REFERENCES batch(id),
                  text TEXT NOT NULL,
                  hash BLOB NOT NULL,
                  signature BLOB NOT NULL,
                  source TEXT NOT NULL,
                  file TEXT NOT NULL,
                  line INTEGER NOT NULL,
                  char_offset INTEGER NOT NULL,
                  page INTEGER NOT NULL,
                  contributor TEXT NOT NULL,
                  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
                  blocking INTEGER NOT NULL DEFAULT 0,
                  created_at INTEGER NOT NULL,
                  UNIQUE (datanet_id, source, hash))""",
                "CREATE INDEX datanet_row_hash ON datanet_row(datanet_id, hash)",
                "CREATE INDEX datanet_row_batch ON datanet_row(batch_id)",
                "CREATE INDEX datanet_row_status ON datanet_row(datanet_id, status)",
                """
                CREATE TABLE finding (
                  row_id INTEGER NOT NULL REFERENCES datanet_row(id) ON DELETE CASCADE,
                  kind TEXT NOT NULL,
                  span_start INTEGER NOT NULL,
                  span_end INTEGER NOT NULL,
                  detail TEXT NOT NULL)""",
                "CREATE INDEX finding_row ON finding(row_id)",
                "CREATE VIRTUAL TABLE datanet_row_fts USING fts5(text, content='datanet_row', content_rowid='id')",
                """
                CREATE TRIGGER datanet_row_fts_insert AFTER INSERT ON datanet_row BEGIN
                  INSERT INTO datanet_row_fts(rowid, text) VALUES (new.id, new.text);
                END""",
                """
                CREATE TRIGGER datanet_row_fts_delete AFTER DELETE ON datanet_row BEGIN
                  INSERT INTO datanet_row_fts(datanet_row_fts, rowid, text) VALUES ('delete', old.id, old.text);
                END""",
                """
                CREATE TABLE upload (
                  id INTEGER PRIMARY KEY,
                  datanet_id INTEGER NOT NULL REFERENCES datanet(id),
                  contributor TEXT NOT NULL,
                  manifest TEXT NOT NULL,
                  merkle_root TEXT NOT NULL UNIQUE,
                  signature TEXT,
                  remote_id TEXT,
                  state TEXT NOT NULL,
                  created_at INTEGER NOT NULL)""",
                """
                CREATE TABLE upload_row (
                  upload_id INTEGER NOT NULL REFERENCES upload(id) ON DELETE CASCADE,
                  seq INTEGER NOT NULL,
                  row_id INTEGER NOT NULL REFERENCES datanet_row(id),
                  PRIMARY KEY (upload_id, seq))""",
                """
                CREATE TABLE upload_chunk (
                  upload_id INTEGER NOT NULL REFERENCES upload(id) ON DELETE CASCADE,
                  idx INTEGER NOT NULL,
                  first_seq INTEGER NOT NULL,
                  row_count INTEGER NOT NULL,
                  hash TEXT NOT NULL,
                  bytes INTEGER NOT NULL,
                  sent_at INTEGER,
                  PRIMARY KEY (upload_id, idx))"""),
                Migration.sql(2, "on-chain Datanet ids and contribution status",
                        // one local Datanet may be published on several chains (devnet, testnet): the id is per
                        // chain and registry contract, and the metadata hash is what was published
                        """
                        CREATE TABLE datanet_chain (
                          datanet_id INTEGER NOT NULL REFERENCES datanet(id) ON DELETE CASCADE,
                          chain_id INTEGER NOT NULL,
                          registry TEXT NOT NULL,
                          onchain_id TEXT NOT NULL,
                          metadata_hash TEXT NOT NULL,
                          tx_hash TEXT NOT NULL,
                          block INTEGER NOT NULL,
                          created_at INTEGER NOT NULL,
                          PRIMARY KEY (datanet_id, chain_id, registry),
                          UNIQUE (chain_id, registry, onchain_id))""",
                        """
                        CREATE TABLE upload_chain (
                          upload_id INTEGER PRIMARY KEY REFERENCES upload(id) ON DELETE CASCADE,
                          chain_id INTEGER NOT NULL,
                          registry TEXT NOT NULL,
                          onchain_datanet_id TEXT NOT NULL,
                          status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'reverted', 'challenged')),
                          tx_hash TEXT NOT NULL,
                          block INTEGER,
                          contribution_id TEXT,
                          stake TEXT NOT NULL,
                          reason TEXT,
                          updated_at INTEGER NOT NULL)"""));
    }
}
