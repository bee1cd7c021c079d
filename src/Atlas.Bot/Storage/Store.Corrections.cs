using System.Data.Common;
using System.Text.Json;
using Atlas.Bot.Posts;

namespace Atlas.Bot.Storage;

/// <summary>An item already distributed, as a correction needs it: its post as last rendered and its first date.</summary>
/// <param name="Source">The fingerprint of what the feed said when the post was last rendered; null for items recorded before there were fingerprints.</param>
public sealed record PostedItem(long Seq, string Key, Post Post, DateTimeOffset? PublishedAt, DateTimeOffset SeenAt, string? Source);

/// <summary>
/// Which of an item's sent messages a correction edits, and at which priority: those of <paramref name="ChannelTarget"/>,
/// and those of <paramref name="SubscriberTarget"/> in groups (in private chats too with <paramref name="PrivateChats"/>).
/// Delivery decides all of it; a digest message, which shows several posts, is never edited.
/// </summary>
public sealed record CorrectionEdits(string ChannelTarget, int ChannelPriority, string SubscriberTarget, int SubscriberPriority, bool PrivateChats);

public sealed partial class Store
{
    private static readonly Sql PostedItemsSql = Sql.For(pick =>
        $"""
        SELECT seq, item_key, post_text, post_caption, post_photo, post_button_text, post_button_url, published_at, seen_at, source
        FROM items WHERE feed_id = @feed AND distributed = 1 AND seen_at >= @since
          AND NOT EXISTS (SELECT 1 FROM deliveries x WHERE x.item_seq = items.seq AND x.deleted_at IS NOT NULL)
          AND item_key IN ({pick(Sql.JsonTexts("@keys"))});
        """);

    /// <summary>Which of <paramref name="keys"/> the feed distributed since <paramref name="since"/>, with their posts; a taken-down analysis is not corrected.</summary>
    public async Task<IReadOnlyList<PostedItem>> PostedItemsAsync(string feedId, IReadOnlyCollection<string> keys, DateTimeOffset since, CancellationToken ct)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        return await QueryAsync(
            _dialect.Pick(PostedItemsSql),
            reader => new PostedItem(
                reader.GetInt64(0),
                reader.GetString(1),
                new Post(reader.IsDBNull(2) ? "" : reader.GetString(2), CaptionHtml: NullableString(reader, 3), PhotoUrl: NullableString(reader, 4),
                    ButtonText: NullableString(reader, 5), ButtonUrl: NullableString(reader, 6)),
                FromUnixMs(reader, 7),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
                NullableString(reader, 9)),
            ct, ("@feed", feedId), ("@keys", JsonSerializer.Serialize(keys)), ("@since", ToUnixMs(since)));
    }

    /// <summary>
    /// Records a correction of item <paramref name="seq"/>: its post becomes <paramref name="post"/> (deliveries not sent
    /// yet go out in the new version), and each of its sent messages that <paramref name="edits"/> selects gets a pending
    /// edit, unless one is already waiting (not yet claimed): that one will send the latest version, so several
    /// corrections before it goes out make one edit. The item's topics become <see cref="ItemRecord.Topics"/> (a topic
    /// renamed in the feed shows its new name), unless that is null. Returns how many edits were queued.
    /// </summary>
    public async Task<int> RecordCorrectionAsync(long seq, ItemRecord item, Post post, CorrectionEdits edits, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        await ExecuteAsync(connection, tx,
            """
            UPDATE items SET title = @title, link = @link, author = @author, source = @source,
                             post_text = @text, post_caption = @caption, post_photo = @photo, post_button_text = @buttonText, post_button_url = @buttonUrl
            WHERE seq = @seq;
            """,
            ct,
            ("@seq", seq), ("@title", item.Title), ("@link", item.Link), ("@author", item.Author), ("@source", item.Source),
            ("@text", post.TextHtml), ("@caption", post.CaptionHtml), ("@photo", post.PhotoUrl),
            ("@buttonText", post.ButtonText), ("@buttonUrl", post.ButtonUrl));
        await ReplaceTopicsAsync(connection, tx, seq, item.Topics, ct);
        var queued = await QueueEditsAsync(connection, tx, seq, edits, now, ct);
        await tx.CommitAsync(ct);
        return queued;
    }

    /// <summary>
    /// Keeps <paramref name="source"/> as what the feed says of item <paramref name="seq"/>, when that changed nothing a
    /// reader sees; and its topics become <paramref name="topics"/>, unless that is null (topics are not in the post).
    /// </summary>
    public async Task KeepSourceAsync(long seq, string source, IReadOnlyList<ItemTopic>? topics, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        await ExecuteAsync(connection, tx, "UPDATE items SET source = @source WHERE seq = @seq;", ct, ("@seq", seq), ("@source", source));
        await ReplaceTopicsAsync(connection, tx, seq, topics, ct);
        await tx.CommitAsync(ct);
    }

    private async Task ReplaceTopicsAsync(DbConnection connection, DbTransaction tx, long seq, IReadOnlyList<ItemTopic>? topics, CancellationToken ct)
    {
        if (topics is null)
        {
            return;
        }

        await ExecuteAsync(connection, tx, "DELETE FROM item_topics WHERE item_seq = @seq;", ct, ("@seq", seq));
        await InsertTopicsAsync(connection, tx, seq, topics, ct);
    }

    private static Task<int> QueueEditsAsync(DbConnection connection, DbTransaction tx, long seq, CorrectionEdits edits, DateTimeOffset now, CancellationToken ct) =>
        ExecuteAsync(connection, tx,
            $"""
            {InsertEditOf}
            FROM deliveries d
            WHERE d.item_seq = @seq AND d.state = 'sent' AND d.edit_of IS NULL AND d.message_id IS NOT NULL AND d.deleted_at IS NULL AND NOT {InDigest}
              AND {EditableTarget}
              AND NOT EXISTS (SELECT 1 FROM deliveries e
                              WHERE e.edit_of = d.id AND e.state = 'pending' AND (e.lease_until IS NULL OR e.lease_until <= @now))
            ORDER BY d.id;
            """,
            ct,
            ("@seq", seq), ("@channel", edits.ChannelTarget), ("@channelPriority", edits.ChannelPriority),
            ("@subscriber", edits.SubscriberTarget), ("@subscriberPriority", edits.SubscriberPriority),
            ("@private", edits.PrivateChats ? 1 : 0), ("@now", ToUnixMs(now)));

    /// <summary>
    /// Records a post as sent, as <see cref="MarkSentAsync"/> does, and queues an edit of it when the item's post changed
    /// since <paramref name="sent"/> was claimed: a correction recorded while this post was on its way found no sent
    /// message to edit, and the feed will not report the change again. On PostgreSQL the item's row is read under a
    /// share lock, so a correction committing at the same moment is seen by one side or the other, never by neither.
    /// </summary>
    /// <returns>Whether an edit was queued.</returns>
    public async Task<bool> MarkPostSentAsync(long id, int messageId, string? shownPhoto, Post sent, CorrectionEdits edits, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        (string, object?)[] parameters =
        [
            ("@id", id), ("@messageId", messageId), ("@photo", shownPhoto),
            ("@channel", edits.ChannelTarget), ("@channelPriority", edits.ChannelPriority),
            ("@subscriber", edits.SubscriberTarget), ("@subscriberPriority", edits.SubscriberPriority),
            ("@private", edits.PrivateChats ? 1 : 0), ("@now", ToUnixMs(now)),
            ("@text", sent.TextHtml), ("@caption", sent.CaptionHtml ?? ""), ("@postPhoto", sent.PhotoUrl ?? ""),
            ("@buttonText", sent.ButtonText ?? ""), ("@buttonUrl", sent.ButtonUrl ?? ""),
        ];
        if (_dialect.Pick(MarkSentFirstSql) is { Length: > 0 } markSent)
        {
            await ExecuteAsync(connection, tx, markSent, ct, parameters);
        }

        var queued = await ExecuteAsync(connection, tx, _dialect.Pick(EditIfPostChangedSql), ct, parameters);
        await tx.CommitAsync(ct);
        return queued > 0;
    }

    /// <summary>An edit of each sent message <c>d</c> selected: pending, at the priority of its target, in its topic.</summary>
    private const string InsertEditOf =
        """
        INSERT INTO deliveries (item_seq, chat, target, priority, state, mode, not_before, created_at, edit_of, thread_id)
        SELECT d.item_seq, d.chat, d.target, CASE WHEN d.target = @channel THEN @channelPriority ELSE @subscriberPriority END,
               'pending', d.mode, @now, @now, d.id, d.thread_id
        """;

    /// <summary>The messages a correction edits: the channels', and subscribers' in groups (in private chats when asked).</summary>
    private const string EditableTarget = $"(d.target = @channel OR (d.target = @subscriber AND (@private = 1 OR {GroupChat})))";

    /// <summary>SQLite records the send in a statement of its own; PostgreSQL within <see cref="EditIfPostChangedSql"/>.</summary>
    private static readonly Sql MarkSentFirstSql = new(Sqlite: MarkSentSql, Postgres: "");

    /// <summary>
    /// The edit of the message just sent, inserted when the item's post is no longer the one sent. PostgreSQL records
    /// the send in the same statement (one round trip on the hot path) and reads the item under a share lock; SQLite's
    /// writes are serial.
    /// </summary>
    private static readonly Sql EditIfPostChangedSql = new(
        Sqlite:
        $"""
        {InsertEditOf}
        FROM deliveries d JOIN items i ON i.seq = d.item_seq
        WHERE d.id = @id AND d.edit_of IS NULL AND {EditableTarget} AND {PostChanged};
        """,
        Postgres:
        $"""
        WITH d AS (
            UPDATE deliveries SET state = 'sent', message_id = @messageId, sent_photo = @photo, sent_at = @now, lease_until = NULL, attempts = attempts + 1
            WHERE id = @id
            RETURNING id, item_seq, chat, target, mode, thread_id, edit_of)
        {InsertEditOf}
        FROM d JOIN items i ON i.seq = d.item_seq
        WHERE d.edit_of IS NULL AND {EditableTarget} AND {PostChanged}
        FOR SHARE OF i;
        """);

    /// <summary>The item's post is not the one sent (@text, @caption, @postPhoto, @buttonText, @buttonUrl).</summary>
    private const string PostChanged =
        """
        (COALESCE(i.post_text, '') <> @text OR COALESCE(i.post_caption, '') <> @caption OR COALESCE(i.post_photo, '') <> @postPhoto
             OR COALESCE(i.post_button_text, '') <> @buttonText OR COALESCE(i.post_button_url, '') <> @buttonUrl)
        """;
}
