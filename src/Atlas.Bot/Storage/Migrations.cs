namespace Atlas.Bot.Storage;

/// <summary>
/// The schema, as an ordered list of steps. A step, once released, never changes: add a new one.
/// Times are Unix milliseconds (UTC) so that they sort and compare the same on SQLite and PostgreSQL.
/// </summary>
internal static class Migrations
{
    public static readonly IReadOnlyList<string> Steps =
    [
        // 1: feeds, items, the chats we post to, and the outbox.
        """
        CREATE TABLE feeds (
            id                   TEXT PRIMARY KEY,
            etag                 TEXT,
            last_modified        TEXT,
            initialized          INTEGER NOT NULL DEFAULT 0,
            last_poll_at         INTEGER,
            last_success_at      INTEGER,
            last_error           TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            next_poll_after      INTEGER
        );

        CREATE TABLE items (
            seq              INTEGER PRIMARY KEY AUTOINCREMENT,
            feed_id          TEXT    NOT NULL,
            item_key         TEXT    NOT NULL,
            title            TEXT    NOT NULL,
            link             TEXT,
            published_at     INTEGER,
            author           TEXT,
            language         TEXT    NOT NULL,
            post_text        TEXT,
            post_caption     TEXT,
            post_photo       TEXT,
            post_button_text TEXT,
            post_button_url  TEXT,
            distributed      INTEGER NOT NULL,
            seen_at          INTEGER NOT NULL,
            UNIQUE (feed_id, item_key)
        );

        CREATE TABLE chats (
            chat          TEXT PRIMARY KEY,
            kind          TEXT    NOT NULL,
            blocked_at    INTEGER,
            block_reason  TEXT,
            migrated_to   TEXT
        );

        CREATE TABLE deliveries (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            item_seq     INTEGER NOT NULL REFERENCES items (seq),
            chat         TEXT    NOT NULL,
            state        TEXT    NOT NULL,
            mode         INTEGER NOT NULL DEFAULT 0,
            attempts     INTEGER NOT NULL DEFAULT 0,
            not_before   INTEGER NOT NULL,
            lease_until  INTEGER,
            message_id   INTEGER,
            sent_at      INTEGER,
            last_error   TEXT,
            created_at   INTEGER NOT NULL
        );

        CREATE INDEX deliveries_pending_by_chat ON deliveries (chat, id) WHERE state = 'pending';
        CREATE INDEX deliveries_by_item ON deliveries (item_seq);
        """,
    ];
}
