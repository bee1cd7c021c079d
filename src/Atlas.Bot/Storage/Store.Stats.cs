namespace Atlas.Bot.Storage;

/// <summary>Deliveries and opens over a span of time, overall.</summary>
public sealed record Figures(long Deliveries, long Opens);

/// <summary>A closed day as `atlas-bot stats` prints it.</summary>
public sealed record DailySummary(string Day, long Deliveries, long Opens, long SubscribersActive, long SubscribersJoined, long SubscribersLeft);

/// <summary>An analysis and how often it was opened in a span.</summary>
public sealed record OpenedItem(long ItemSeq, string Title, string? Link, long Opens);

/// <summary>An analysis found by its tracked-link code or its link.</summary>
public sealed record TrackedItem(long ItemSeq, string Code, string Title, string? Link, string Language);

public sealed partial class Store
{
    /// <summary>
    /// The tracked link behind <paramref name="code"/>: the item and the article it leads to; null when unknown. By code
    /// alone, through the primary key: the public redirect must not let an unknown code scan the items.
    /// </summary>
    public Task<TrackedItem?> FindTrackedItemByCodeAsync(string code, CancellationToken ct) =>
        FindTrackedAsync("l.code = @value", code, ct);

    /// <summary>As <see cref="FindTrackedItemByCodeAsync"/>, or by the article's link (an admin's /stats); the newest such item.</summary>
    public Task<TrackedItem?> FindTrackedItemByCodeOrLinkAsync(string codeOrLink, CancellationToken ct) =>
        FindTrackedAsync("l.code = @value OR i.link = @value", codeOrLink, ct);

    private async Task<TrackedItem?> FindTrackedAsync(string condition, string value, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, null,
            $"""
            SELECT l.item_seq, l.code, i.title, i.link, i.language
            FROM links l JOIN items i ON i.seq = l.item_seq
            WHERE {condition}
            ORDER BY l.item_seq DESC LIMIT 1;
            """,
            ("@value", value));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new TrackedItem(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), NullableString(reader, 3), reader.GetString(4))
            : null;
    }

    /// <summary>
    /// Adds a batch of opens (the redirect endpoint buffers them) to the per-minute counts, in one transaction: one row
    /// per analysis and minute however many opens it holds.
    /// </summary>
    public async Task RecordOpensAsync(IReadOnlyList<(long ItemSeq, DateTimeOffset At)> opens, CancellationToken ct)
    {
        var perMinute = opens
            .GroupBy(open => (open.ItemSeq, Minute: MinuteOf(open.At)))
            .Select(group => (group.Key.ItemSeq, group.Key.Minute, Opens: (long)group.Count()))
            .ToList();
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        await using var command = Command(connection, tx,
            """
            INSERT INTO open_counts (minute, item_seq, opens) VALUES (@minute, @item, @opens)
            ON CONFLICT (minute, item_seq) DO UPDATE SET opens = open_counts.opens + excluded.opens;
            """);
        var minute = AddParameter(command, "@minute", 0L);
        var item = AddParameter(command, "@item", 0L);
        var count = AddParameter(command, "@opens", 0L);
        foreach (var each in perMinute)
        {
            minute.Value = each.Minute;
            item.Value = each.ItemSeq;
            count.Value = each.Opens;
            await command.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
    }

    /// <summary>The first millisecond of the UTC minute <paramref name="at"/> falls in: opens are stored per minute.</summary>
    private static long MinuteOf(DateTimeOffset at) => ToUnixMs(at) / 60_000 * 60_000;

    /// <summary>
    /// Posts confirmed by Telegram and opens counted between two instants, from the raw deliveries and the per-minute
    /// opens (today's figures). Opens count by the minute they fell in, which is exact for bounds on a whole minute:
    /// every day's start and end are, and so is "up to now" (the current minute is counted whole).
    /// </summary>
    public async Task<Figures> FiguresBetweenAsync(DateTimeOffset from, DateTimeOffset to, long? itemSeq, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var parameters = new (string, object?)[] { ("@from", ToUnixMs(from)), ("@to", ToUnixMs(to)), ("@item", itemSeq) };
        var deliveries = await ScalarLongAsync(connection, null,
            "SELECT COUNT(*) FROM deliveries WHERE state = 'sent' AND item_seq IS NOT NULL AND edit_of IS NULL AND sent_at >= @from AND sent_at < @to AND (CAST(@item AS BIGINT) IS NULL OR item_seq = @item);",
            ct, parameters) ?? 0;
        var opens = await ScalarLongAsync(connection, null,
            "SELECT COALESCE(SUM(opens), 0) FROM open_counts WHERE minute >= @from AND minute < @to AND (CAST(@item AS BIGINT) IS NULL OR item_seq = @item);",
            ct, parameters) ?? 0;
        return new Figures(deliveries, opens);
    }

    /// <summary>The sum of all closed days (for one item, or overall); 64-bit all the way.</summary>
    public async Task<Figures> ClosedTotalsAsync(long? itemSeq, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, null,
            "SELECT CAST(COALESCE(SUM(CASE WHEN kind <> 'edit' THEN deliveries ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(opens), 0) AS BIGINT) FROM daily_counts WHERE CAST(@item AS BIGINT) IS NULL OR item_seq = @item;",
            ("@item", itemSeq));
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new Figures(reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The most opened analyses between two instants.</summary>
    public async Task<IReadOnlyList<OpenedItem>> MostOpenedAsync(DateTimeOffset from, DateTimeOffset to, int count, CancellationToken ct) =>
        await QueryAsync(
            """
            SELECT o.item_seq, i.title, i.link, CAST(SUM(o.opens) AS BIGINT) AS opens
            FROM open_counts o JOIN items i ON i.seq = o.item_seq
            WHERE o.minute >= @from AND o.minute < @to
            GROUP BY o.item_seq, i.title, i.link ORDER BY opens DESC, o.item_seq DESC LIMIT @count;
            """,
            reader => new OpenedItem(reader.GetInt64(0), reader.GetString(1), NullableString(reader, 2), reader.GetInt64(3)),
            ct, ("@from", ToUnixMs(from)), ("@to", ToUnixMs(to)), ("@count", count));

    /// <summary>
    /// Closes a day: its figures per item, kind of target (channel, private, group; and "edit" for corrections, which
    /// are never deliveries) and language, and its
    /// summary, computed from the deliveries and the per-minute opens and written in one transaction. Closing a
    /// day again replaces it, so a late or repeated close is harmless.
    /// </summary>
    /// <param name="channelTarget">The target of deliveries to channels, counted as kind "channel" whatever the chat.</param>
    public async Task CloseDayAsync(string day, DateTimeOffset from, DateTimeOffset to, string channelTarget, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var range = new (string, object?)[] { ("@day", day), ("@from", ToUnixMs(from)), ("@to", ToUnixMs(to)), ("@now", ToUnixMs(now)), ("@channel", channelTarget) };
        await ExecuteAsync(connection, tx,
            """
            DELETE FROM daily_counts WHERE day = @day;
            INSERT INTO daily_counts (day, item_seq, kind, language, deliveries, opens)
            SELECT @day, d.item_seq,
                   CASE WHEN d.edit_of IS NOT NULL THEN 'edit'
                        WHEN d.target = @channel THEN 'channel'
                        WHEN CAST(d.chat AS BIGINT) > 0 THEN 'private' ELSE 'group' END,
                   i.language, COUNT(*), 0
            FROM deliveries d JOIN items i ON i.seq = d.item_seq
            WHERE d.state = 'sent' AND d.sent_at >= @from AND d.sent_at < @to
            GROUP BY 1, 2, 3, 4;
            INSERT INTO daily_counts (day, item_seq, kind, language, deliveries, opens)
            SELECT @day, o.item_seq, 'link', i.language, 0, SUM(o.opens)
            FROM open_counts o JOIN items i ON i.seq = o.item_seq
            WHERE o.minute >= @from AND o.minute < @to
            GROUP BY 1, 2, 3, 4;
            INSERT INTO daily_summary (day, deliveries, opens, subscribers_active, subscribers_joined, subscribers_left, closed_at)
            SELECT @day,
                   (SELECT COALESCE(SUM(deliveries), 0) FROM daily_counts WHERE day = @day AND kind <> 'edit'),
                   (SELECT COALESCE(SUM(opens), 0) FROM daily_counts WHERE day = @day),
                   (SELECT COUNT(CASE WHEN event = 'joined' THEN 1 END) - COUNT(CASE WHEN event = 'left' THEN 1 END) FROM subscriber_events WHERE at < @to),
                   (SELECT COUNT(*) FROM subscriber_events WHERE event = 'joined' AND at >= @from AND at < @to),
                   (SELECT COUNT(*) FROM subscriber_events WHERE event = 'left' AND at >= @from AND at < @to),
                   @now
            ON CONFLICT (day) DO UPDATE SET
                deliveries = excluded.deliveries, opens = excluded.opens, subscribers_active = excluded.subscribers_active,
                subscribers_joined = excluded.subscribers_joined, subscribers_left = excluded.subscribers_left, closed_at = excluded.closed_at;
            """,
            ct, range);
        await tx.CommitAsync(ct);
    }

    /// <summary>The last closed day ("yyyy-MM-dd"), or null before the first close.</summary>
    public async Task<string?> LastClosedDayAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await ScalarAsync(connection, null, "SELECT MAX(day) FROM daily_summary;", ct) as string;
    }

    /// <summary>The earliest instant anything was counted, to know from which day closing must start.</summary>
    public async Task<DateTimeOffset?> FirstActivityAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var first = await ScalarLongAsync(connection, null,
            "SELECT MIN(at) FROM (SELECT MIN(sent_at) AS at FROM deliveries WHERE state = 'sent' UNION ALL SELECT MIN(minute) FROM open_counts UNION ALL SELECT MIN(at) FROM subscriber_events) AS firsts;",
            ct);
        return first is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>Closed days between two days inclusive ("yyyy-MM-dd" compare as text), oldest first.</summary>
    public async Task<IReadOnlyList<DailySummary>> DailySummariesAsync(string fromDay, string toDay, CancellationToken ct) =>
        await QueryAsync(
            """
            SELECT day, deliveries, opens, subscribers_active, subscribers_joined, subscribers_left
            FROM daily_summary WHERE day >= @from AND day <= @to ORDER BY day;
            """,
            reader => new DailySummary(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)),
            ct, ("@from", fromDay), ("@to", toDay));

    /// <summary>Deletes the per-minute open counts of minutes before <paramref name="before"/>; closed days keep their figures.</summary>
    public async Task<int> PruneOpenCountsAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        return await ExecuteAsync(connection, null, "DELETE FROM open_counts WHERE minute < @before;", ct, ("@before", ToUnixMs(before)));
    }

    /// <summary>A channel's member count for a day (sampled once a day).</summary>
    public async Task RecordAudienceAsync(string day, string chat, long members, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await ExecuteAsync(connection, null,
            "INSERT INTO audience (day, chat, members) VALUES (@day, @chat, @members) ON CONFLICT (day, chat) DO UPDATE SET members = @members;",
            ct, ("@day", day), ("@chat", chat), ("@members", members));
    }

    /// <summary>Active subscribers now, and joins and leaves between two instants.</summary>
    public async Task<(long Active, long Joined, long Left)> SubscriberChangesAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, null,
            """
            SELECT (SELECT COUNT(*) FROM subscribers WHERE active = 1),
                   (SELECT COUNT(*) FROM subscriber_events WHERE event = 'joined' AND at >= @from AND at < @to),
                   (SELECT COUNT(*) FROM subscriber_events WHERE event = 'left' AND at >= @from AND at < @to);
            """,
            ("@from", ToUnixMs(from)), ("@to", ToUnixMs(to)));
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
