using Atlas.Bot.Delivery;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram.Fake;
using Microsoft.Extensions.Logging.Abstractions;
using Telegram.Bot;

namespace Atlas.Bot.Tests.Delivery;

/// <summary>
/// Corrections through the outbox, step by step as the dispatcher takes them, against the real Telegram.Bot client and
/// the strict fake Bot API: which messages get an edit, how edits coalesce, and what a crash mid-edit repeats.
/// </summary>
public abstract class CorrectionTests(Provider provider) : DatabaseTest(provider), IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly Post First = new("<b>Analysis</b>\n\nSummary.", ButtonText: "Read", ButtonUrl: "https://atlas.az/a");
    private static readonly Post Revised = new("<b>Analysis, revised</b>\n\nSummary.", ButtonText: "Read", ButtonUrl: "https://atlas.az/a");

    private FakeBotApi _api = null!;
    private TelegramSender _sender = null!;

    private Outbox Outbox => new(Store);

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        _api = await FakeBotApi.StartAsync();
        _sender = new TelegramSender(_api.CreateClient(TimeSpan.FromSeconds(5)), NullLogger<TelegramSender>.Instance);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await _api.DisposeAsync();
        await DisposeAsync();
    }

    [Fact]
    public async Task A_crash_between_an_edit_and_its_record_repeats_that_edit_which_Telegram_finds_made_and_never_a_post()
    {
        var seq = await PostToChannelAsync();
        await Outbox.QueueCorrectionAsync(seq, SampleItem("a", Now), Revised, privateCopies: false, Now, CancellationToken.None);
        var edit = Assert.Single(await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));
        Assert.IsType<SendResult.Sent>(await EditAsync(edit));

        // The process dies before recording it: the lease runs out and the edit is claimed again.
        var again = Assert.Single(await Store.ClaimDueAsync(Now + Lease, 10, Lease, CancellationToken.None));
        var repeated = await EditAsync(again);
        await Store.MarkEditedAsync(again.Id, again.Edit!, null, Now + Lease, CancellationToken.None);

        Assert.Equal(edit.Id, again.Id);
        Assert.IsType<SendResult.Sent>(repeated);
        Assert.Single(_api.Messages);
        Assert.Single(_api.Edits);
        Assert.Equal("<b>Analysis, revised</b>\n\nSummary.", _api.CurrentMessage(_api.Messages.Single().ChatId, _api.Messages.Single().MessageId)?.Text);
        Assert.Empty(await Store.ClaimDueAsync(Now + Lease + Lease, 10, Lease, CancellationToken.None));
    }

    [Fact]
    public async Task Corrections_before_the_edit_goes_out_make_one_edit_and_one_after_it_was_claimed_makes_another()
    {
        var seq = await PostToChannelAsync();
        foreach (var version in new[] { "one", "two" })
        {
            await Outbox.QueueCorrectionAsync(seq, SampleItem("a", Now), First with { TextHtml = version }, privateCopies: false, Now, CancellationToken.None);
        }

        var claimed = Assert.Single(await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));
        Assert.Equal("two", claimed.Post.TextHtml);

        // A correction while that edit is on its way needs an edit of its own, after it.
        await Outbox.QueueCorrectionAsync(seq, SampleItem("a", Now), First with { TextHtml = "three" }, privateCopies: false, Now, CancellationToken.None);
        Assert.Equal(2, await Database.CountAsync("SELECT COUNT(*) FROM deliveries WHERE edit_of IS NOT NULL AND state = 'pending'"));
        Assert.Empty(await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));
    }

    [Fact]
    public async Task A_correction_recorded_while_the_post_was_on_its_way_queues_its_edit_when_the_post_is_recorded_sent()
    {
        await Store.RecordItemAsync(SampleItem("a", Now), First, ["@atlas_az"], Now, CancellationToken.None);
        var seq = await Database.CountAsync("SELECT MAX(seq) FROM items");
        var post = Assert.Single(await Store.ClaimDueAsync(Now, 1, Lease, CancellationToken.None));

        // The feed is corrected while the post is on the wire: there is no sent message to edit yet.
        Assert.Equal(0, await Outbox.QueueCorrectionAsync(seq, SampleItem("a", Now), Revised, privateCopies: false, Now, CancellationToken.None));
        var sent = Assert.IsType<SendResult.Sent>(await _sender.SendAsync(post.Chat, new OutgoingMessage(post.Post), CancellationToken.None));
        Assert.True(await Outbox.MarkSentAsync(post, sent.MessageId, null, privateCopies: false, Now, CancellationToken.None));

        var edit = Assert.Single(await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));
        Assert.Equal((post.Id, sent.MessageId, Revised.TextHtml), (edit.Edit!.SentDelivery, edit.Edit.MessageId, edit.Post.TextHtml));
        Assert.IsType<SendResult.Sent>(await EditAsync(edit));
        Assert.Equal(Revised.TextHtml, _api.CurrentMessage(_api.Messages.Single().ChatId, sent.MessageId)?.Text);
    }

    [Fact]
    public async Task A_post_sent_in_its_items_current_version_queues_no_edit_nor_does_a_stale_private_copy_unless_private_copies_are_edited()
    {
        await Store.SubscribeAsync(42, "private", null, "en", ["az"], Now, CancellationToken.None);
        await Store.RecordItemAsync(SampleItem("a", Now), First, ["@atlas_az"], Now, CancellationToken.None);
        var seq = await Database.CountAsync("SELECT MAX(seq) FROM items");
        var channel = Assert.Single(await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));
        Assert.False(await Outbox.MarkSentAsync(channel, 1, null, privateCopies: true, Now, CancellationToken.None));

        var copy = Assert.Single(await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));
        await Outbox.QueueCorrectionAsync(seq, SampleItem("a", Now), Revised, privateCopies: false, Now, CancellationToken.None);
        Assert.False(await Outbox.MarkSentAsync(copy, 1, null, privateCopies: false, Now, CancellationToken.None));
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM deliveries WHERE edit_of IS NOT NULL"));
    }

    [Fact]
    public async Task An_edit_of_a_message_an_admin_deleted_ends_quietly()
    {
        var seq = await PostToChannelAsync();
        var sent = _api.Messages.Single();
        await _api.CreateClient(TimeSpan.FromSeconds(5)).DeleteMessage(sent.ChatId, sent.MessageId);

        await Outbox.QueueCorrectionAsync(seq, SampleItem("a", Now), Revised, privateCopies: false, Now, CancellationToken.None);
        var edit = Assert.Single(await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));

        Assert.IsType<SendResult.MessageGone>(await EditAsync(edit));
    }

    [Fact]
    public async Task Private_copies_are_edited_only_when_asked_and_after_new_posts_while_groups_always_are()
    {
        await Store.SubscribeAsync(42, "private", null, "en", ["az"], Now, CancellationToken.None);
        await Store.SubscribeAsync(-100500, "supergroup", "A group", "en", ["az"], Now, CancellationToken.None);
        var seq = await PostToChannelAsync();
        foreach (var delivery in await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None))
        {
            await Store.MarkSentAsync(delivery.Id, 7, null, Now, CancellationToken.None);
        }

        Assert.Equal(2, await Outbox.QueueCorrectionAsync(seq, SampleItem("a", Now), Revised, privateCopies: false, Now, CancellationToken.None));
        Assert.Equal(1, await Outbox.QueueCorrectionAsync(seq, SampleItem("a", Now), First, privateCopies: true, Now.AddSeconds(1), CancellationToken.None));
        Assert.Equal(
            [("-100500", DeliveryPriorities.SubscriberEdit), ("42", DeliveryPriorities.SubscriberEdit), ("@atlas_az", DeliveryPriorities.Channel)],
            await EditsAsync());
    }

    [Fact]
    public async Task An_edit_counts_as_an_edit_in_the_days_figures_never_as_a_delivery()
    {
        var seq = await PostToChannelAsync();
        await Outbox.QueueCorrectionAsync(seq, SampleItem("a", Now), Revised, privateCopies: false, Now, CancellationToken.None);
        var edit = Assert.Single(await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));
        await Store.MarkEditedAsync(edit.Id, edit.Edit!, null, Now.AddMinutes(1), CancellationToken.None);

        await Store.CloseDayAsync("2026-12-02", Now.Date, Now.Date.AddDays(1), Now.AddDays(1), CancellationToken.None);

        Assert.Equal(1, (await Store.FiguresBetweenAsync(Now.Date, Now.Date.AddDays(1), null, CancellationToken.None)).Deliveries);
        Assert.Equal(1, await Database.CountAsync("SELECT deliveries FROM daily_summary WHERE day = '2026-12-02'"));
        Assert.Equal(1, await Database.CountAsync("SELECT deliveries FROM daily_counts WHERE day = '2026-12-02' AND kind = 'edit'"));
    }

    [Fact]
    public async Task Retention_keeps_a_sent_post_while_its_edit_is_still_to_be_made()
    {
        var seq = await PostToChannelAsync();
        await Outbox.QueueCorrectionAsync(seq, SampleItem("a", Now), Revised, privateCopies: false, Now, CancellationToken.None);

        await Store.PruneDeliveriesAsync(Now.AddDays(30), sentBefore: Now.AddDays(30), CancellationToken.None);

        var edit = Assert.Single(await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));
        Assert.NotNull(edit.Edit);
        Assert.IsType<SendResult.Sent>(await EditAsync(edit));
        Assert.Single(_api.Messages);
    }

    [Fact]
    public async Task A_taken_down_analysis_is_not_corrected()
    {
        var seq = await PostToChannelAsync();
        var sent = _api.Messages.Single();
        Assert.Single(await Store.PostedItemsAsync("feed", ["a"], Now.AddDays(-1), CancellationToken.None));

        await Store.MarkMessageDeletedAsync(seq, "@atlas_az", sent.MessageId, Now, CancellationToken.None);

        Assert.Empty(await Store.PostedItemsAsync("feed", ["a"], Now.AddDays(-1), CancellationToken.None));
        Assert.Equal(0, await Outbox.QueueCorrectionAsync(seq, SampleItem("a", Now), Revised, privateCopies: true, Now, CancellationToken.None));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_digest_is_never_edited_into_one_of_its_posts_whether_flagged_or_sent_before_flags(bool flagged)
    {
        await Store.SubscribeAsync(-100500, "supergroup", "A group", "en", ["az"], Now, CancellationToken.None);
        var seq = await PostToChannelAsync();
        await Store.RecordItemAsync(SampleItem("b", Now), First, [], Now, CancellationToken.None);
        var digest = (await Database.ListAsync("SELECT id FROM deliveries WHERE chat = '-100500'")).Select(long.Parse).ToList();
        Assert.Equal(2, digest.Count);
        if (flagged)
        {
            await Store.MarkManySentAsync(digest, 9, Now, CancellationToken.None);
        }
        else
        {
            // Before migration 11 a digest's deliveries were marked one by one, as one message at one time.
            foreach (var id in digest)
            {
                await Store.MarkSentAsync(id, 9, null, Now, CancellationToken.None);
            }
        }

        Assert.Equal(1, await Outbox.QueueCorrectionAsync(seq, SampleItem("a", Now), Revised, privateCopies: true, Now, CancellationToken.None));
        Assert.Equal([("@atlas_az", DeliveryPriorities.Channel)], await EditsAsync());
    }

    /// <summary>Records item "a" for @atlas_az and sends its channel post through the fake: the message a correction edits.</summary>
    private async Task<long> PostToChannelAsync()
    {
        await Store.RecordItemAsync(SampleItem("a", Now), First, ["@atlas_az"], Now, CancellationToken.None);
        var channel = Assert.Single(await Store.ClaimDueAsync(Now, 1, Lease, CancellationToken.None));
        var sent = Assert.IsType<SendResult.Sent>(await _sender.SendAsync(channel.Chat, new OutgoingMessage(channel.Post), CancellationToken.None));
        await Store.MarkSentAsync(channel.Id, sent.MessageId, null, Now, CancellationToken.None);
        return await Database.CountAsync("SELECT MAX(seq) FROM items");
    }

    private Task<SendResult> EditAsync(ClaimedDelivery edit) =>
        _sender.EditAsync(edit.Chat, edit.Edit!.MessageId, edit.Edit.ShownPhoto, new OutgoingMessage(edit.Post, edit.Form), CancellationToken.None);

    private async Task<List<(string Chat, int Priority)>> EditsAsync()
    {
        var edits = new List<(string, int)>();
        await using var connection = Database.Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT chat, priority FROM deliveries WHERE edit_of IS NOT NULL";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            edits.Add((reader.GetString(0), Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return [.. edits.OrderBy(edit => edit.Item1, StringComparer.Ordinal)];
    }
}

public sealed class CorrectionTests_Sqlite() : CorrectionTests(Provider.Sqlite);

public sealed class CorrectionTests_Postgres() : CorrectionTests(Provider.Postgres);
