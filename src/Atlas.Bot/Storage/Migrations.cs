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

        -- A delivery sends one item (a post) or one message (a reply, an announcement) to one chat.
        -- priority: 0 replies to people, 1 channel posts, 2 subscriber posts; lower goes first.
        CREATE TABLE deliveries (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            item_seq     INTEGER REFERENCES items (seq),
            message_seq  INTEGER,
            chat         TEXT    NOT NULL,
            target       TEXT    NOT NULL DEFAULT 'channel',
            priority     INTEGER NOT NULL DEFAULT 1,
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

        // 2: subscribers, incoming updates, outgoing messages that are not posts, the bot's memberships, audit.
        """
        CREATE TABLE subscribers (
            chat_id        INTEGER PRIMARY KEY,
            kind           TEXT    NOT NULL,
            title          TEXT,
            ui_language    TEXT    NOT NULL,
            languages      TEXT    NOT NULL,
            active         INTEGER NOT NULL,
            joined_at      INTEGER NOT NULL,
            active_since   INTEGER NOT NULL,
            left_at        INTEGER,
            left_reason    TEXT,
            dropped        INTEGER NOT NULL DEFAULT 0
        );

        -- Every update from Telegram (polling or webhook) lands here first; handled_at marks it done.
        CREATE TABLE inbox (
            update_id   INTEGER PRIMARY KEY,
            payload     TEXT    NOT NULL,
            received_at INTEGER NOT NULL,
            handled_at  INTEGER,
            error       TEXT
        );
        CREATE INDEX inbox_unhandled ON inbox (update_id) WHERE handled_at IS NULL;

        -- Replies and announcements. key makes enqueueing idempotent: a re-handled update adds nothing twice.
        CREATE TABLE messages (
            seq          INTEGER PRIMARY KEY AUTOINCREMENT,
            key          TEXT    NOT NULL UNIQUE,
            kind         TEXT    NOT NULL,
            text         TEXT    NOT NULL,
            caption      TEXT,
            photo        TEXT,
            button_text  TEXT,
            button_url   TEXT,
            keyboard     TEXT,
            created_by   INTEGER,
            created_at   INTEGER NOT NULL,
            state        TEXT    NOT NULL DEFAULT 'ready'
        );

        CREATE TABLE memberships (
            chat        TEXT PRIMARY KEY,
            title       TEXT,
            type        TEXT    NOT NULL,
            status      TEXT    NOT NULL,
            can_post    INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL
        );

        CREATE TABLE bot_state (
            key    TEXT PRIMARY KEY,
            value  TEXT NOT NULL
        );

        CREATE TABLE audit (
            id        INTEGER PRIMARY KEY AUTOINCREMENT,
            key       TEXT    UNIQUE,
            at        INTEGER NOT NULL,
            user_id   INTEGER NOT NULL,
            action    TEXT    NOT NULL,
            detail    TEXT,
            allowed   INTEGER NOT NULL
        );
        """,

        // 3: view counts. Raw opens are kept for the retention period; daily figures forever.
        """
        -- One short, unguessable code per distributed item: the "Read" button points to /r/{code}.
        CREATE TABLE links (
            code        TEXT    PRIMARY KEY,
            item_seq    INTEGER NOT NULL UNIQUE REFERENCES items (seq),
            created_at  INTEGER NOT NULL
        );

        CREATE TABLE open_events (
            id        INTEGER PRIMARY KEY AUTOINCREMENT,
            item_seq  INTEGER NOT NULL,
            at        INTEGER NOT NULL
        );
        CREATE INDEX open_events_by_time ON open_events (at);

        CREATE INDEX deliveries_sent_at ON deliveries (sent_at) WHERE state = 'sent';

        -- A closed day's figures per item, kind of target (channel, private, group) and language.
        CREATE TABLE daily_counts (
            day         TEXT    NOT NULL,
            item_seq    INTEGER NOT NULL,
            kind        TEXT    NOT NULL,
            language    TEXT    NOT NULL,
            deliveries  INTEGER NOT NULL,
            opens       INTEGER NOT NULL,
            PRIMARY KEY (day, item_seq, kind, language)
        );

        CREATE TABLE daily_summary (
            day                 TEXT    PRIMARY KEY,
            deliveries          INTEGER NOT NULL,
            opens               INTEGER NOT NULL,
            subscribers_active  INTEGER NOT NULL,
            subscribers_joined  INTEGER NOT NULL,
            subscribers_left    INTEGER NOT NULL,
            closed_at           INTEGER NOT NULL
        );

        -- Joins and leaves as they happen, so a day's figures survive someone leaving and coming back.
        CREATE TABLE subscriber_events (
            id       INTEGER PRIMARY KEY AUTOINCREMENT,
            chat_id  INTEGER NOT NULL,
            event    TEXT    NOT NULL,
            at       INTEGER NOT NULL
        );
        CREATE INDEX subscriber_events_by_time ON subscriber_events (at);

        CREATE TABLE audience (
            day      TEXT    NOT NULL,
            chat     TEXT    NOT NULL,
            members  INTEGER NOT NULL,
            PRIMARY KEY (day, chat)
        );
        """,

        // 4: indexes for claiming at fan-out scale: the queue in order, each chat's head, an item's channel posts.
        """
        DROP INDEX deliveries_pending_by_chat;
        CREATE INDEX deliveries_queue ON deliveries (priority, id) WHERE state = 'pending';
        CREATE INDEX deliveries_pending_by_chat ON deliveries (chat, priority, id) WHERE state = 'pending';
        CREATE INDEX deliveries_pending_by_item ON deliveries (item_seq, target) WHERE state = 'pending';
        """,

        // 5: per-update state under one prefix, so pruning the inbox prunes it too ("stats-chart:{id}" was kept for ever).
        """
        UPDATE bot_state SET key = 'update:' || substr(key, 13) || ':chart' WHERE key LIKE 'stats-chart:%';
        """,

        // 6: opens counted per analysis and minute instead of a row per open, so that storage grows with analyses and
        // minutes, not with requests; the raw opens kept so far move into it.
        """
        -- minute: the first Unix millisecond of the UTC minute the opens fell in; every day's bounds are whole minutes.
        CREATE TABLE open_counts (
            minute    INTEGER NOT NULL,
            item_seq  INTEGER NOT NULL,
            opens     INTEGER NOT NULL,
            PRIMARY KEY (minute, item_seq)
        ) WITHOUT ROWID;

        INSERT INTO open_counts (minute, item_seq, opens)
        SELECT (at / 60000) * 60000, item_seq, COUNT(*) FROM open_events GROUP BY 1, 2;

        DROP TABLE open_events;
        """,

        // 7: retention deletes a reply or announcement once no delivery refers to it: finding its deliveries needs an index.
        """
        CREATE INDEX IF NOT EXISTS deliveries_by_message ON deliveries (message_seq) WHERE message_seq IS NOT NULL;
        """,
    ];
}
