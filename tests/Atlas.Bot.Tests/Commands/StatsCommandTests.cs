using Atlas.Bot.Commands;
using Atlas.Bot.Delivery;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram.Fake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SkiaSharp;
using static Atlas.Bot.Tests.Commands.Updates;

namespace Atlas.Bot.Tests.Commands;

public sealed class StatsCommandTests : IAsyncLifetime
{
    private const long Admin = CommandHarness.Admin;

    // Baku is UTC+4: 20:00 UTC on 28 November is midnight of 29 November there.
    private static readonly DateTimeOffset BakuMidnight = new(2026, 11, 28, 20, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(BakuMidnight.AddSeconds(-30));
    private CommandHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await CommandHarness.StartAsync(services => services.AddSingleton<TimeProvider>(_clock));

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Stats_shows_today_and_total_apart_the_most_opened_today_and_subscribers()
    {
        await SeedAsync();

        await _bot.SendAsync(Text(Admin, "/stats"));

        var reply = (await _bot.LastReplyAsync()).Text;
        Assert.Equal(
            """
            <b>Statistics</b>

            Deliveries — Today: 2 · Total: 2,584,343,203
            Opens — Today: 3 · Total: 4,000,000,004

            <b>Most opened today</b>
            1. <a href="https://atlas.az/a">Neft &amp; qaz &lt;bazarı&gt;</a> — 2
            2. <a href="https://atlas.az/b">Cənubi Qafqaz</a> — 1

            Subscribers: 2 · today +1 / −1
            """.ReplaceLineEndings("\n"),
            reply);
        Assert.True(TelegramHtmlRules.Check(reply).ok);
    }

    [Theory]
    [InlineData("az", "Göndərişlər — Bu gün: 2 · Ümumi: 2 584 343 203", "Açılışlar — Bu gün: 3 · Ümumi: 4 000 000 004", "Abunəçilər: 2 · bu gün +1 / −1")]
    [InlineData("ru", "Доставки — Сегодня: 2 · Всего: 2 584 343 203", "Переходы — Сегодня: 3 · Всего: 4 000 000 004", "Подписчики: 2 · сегодня +1 / −1")]
    [InlineData("en", "Deliveries — Today: 2 · Total: 2,584,343,203", "Opens — Today: 3 · Total: 4,000,000,004", "Subscribers: 2 · today +1 / −1")]
    public async Task Stats_speaks_the_admins_language_and_groups_thousands_its_way(string language, string deliveries, string opens, string subscribers)
    {
        await SeedAsync();

        await _bot.SendAsync(Text(Admin, "/stats", language));

        var reply = (await _bot.LastReplyAsync()).Text;
        // The numbers are grouped with no-break spaces in az and ru; compared here as the eye sees them.
        var seen = reply.Replace('\u00A0', ' ');
        Assert.Contains(deliveries, seen, StringComparison.Ordinal);
        Assert.Contains(opens, seen, StringComparison.Ordinal);
        Assert.Contains(subscribers, seen, StringComparison.Ordinal);
        Assert.Contains(BotTexts.Get(language, TextNames.StatsTopHeader), reply, StringComparison.Ordinal);
        Assert.Equal(language != "en", reply.Contains("2\u00A0584\u00A0343\u00A0203", StringComparison.Ordinal));
        Assert.True(TelegramHtmlRules.Check(reply).ok);
    }

    [Fact]
    public async Task Today_starts_at_midnight_in_Baku_not_in_UTC()
    {
        await DeliveredAsync("Late news", "https://atlas.az/late", BakuMidnight.AddMinutes(-1));

        await _bot.SendAsync(Text(Admin, "/stats"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        await _bot.SendAsync(Text(Admin, "/stats"));

        var replies = (await _bot.RepliesAsync()).Select(reply => reply.Text).ToList();
        Assert.Contains("Deliveries — Today: 1 · Total: 1", replies[0], StringComparison.Ordinal);
        Assert.Contains("Deliveries — Today: 0 · Total: 1", replies[1], StringComparison.Ordinal);
        Assert.Contains(BotTexts.Get("en", TextNames.StatsTopNone), replies[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_with_a_code_a_tracked_link_or_the_articles_link_shows_that_analysis()
    {
        var item = await SeedAsync();

        await _bot.SendAsync(Text(Admin, $"/stats {item.Code}", "az"));
        await _bot.SendAsync(Text(Admin, $"/stats https://bot.atlas.az/r/{item.Code}", "az"));
        await _bot.SendAsync(Text(Admin, "/stats https://atlas.az/a", "az"));

        var expected = string.Join("\n",
            BotTexts.Get("az", TextNames.StatsItemHeader, "<a href=\"https://atlas.az/a\">Neft &amp; qaz &lt;bazarı&gt;</a>"),
            "",
            "Göndərişlər — Bu gün: 0 · Ümumi: 2\u00A0584\u00A0343\u00A0201",
            "Açılışlar — Bu gün: 2 · Ümumi: 4\u00A0000\u00A0000\u00A0003");
        Assert.All(await _bot.RepliesAsync(), reply => Assert.Equal(expected, reply.Text));
        Assert.Empty(_bot.Telegram.Messages);
    }

    [Fact]
    public async Task An_unknown_code_gets_a_clear_answer()
    {
        await SeedAsync();

        await _bot.SendAsync(Text(Admin, "/stats Zz<9>", "ru"));

        Assert.Equal(BotTexts.Get("ru", TextNames.StatsItemUnknown, "Zz&lt;9&gt;"), (await _bot.LastReplyAsync()).Text);
    }

    [Fact]
    public async Task The_chart_is_uploaded_as_a_photo_once_even_when_the_update_is_handled_twice()
    {
        await SeedAsync();

        await _bot.SendAsync(Text(Admin, "/stats", "az"));
        // A crash between handling and marking: the update is handled again at the next start.
        await _bot.Database.CountAsync("UPDATE inbox SET handled_at = NULL RETURNING 0");
        await _bot.Processor.HandlePendingAsync(default);

        var photo = Assert.Single(_bot.Telegram.Messages);
        Assert.Equal(("1001", StatsCommand.ChartFileName, BotTexts.Get("az", TextNames.StatsChartTitle)), (photo.Chat, photo.Upload?.FileName, photo.Caption));
        using var chart = SKBitmap.Decode(photo.Upload!.Bytes);
        Assert.Equal((1000, 500), (chart.Width, chart.Height));
        Assert.Single(await _bot.RepliesAsync());
        Assert.Equal(1, await _bot.Database.CountAsync("SELECT COUNT(*) FROM bot_state WHERE key LIKE 'update:%:chart'"));
    }

    [Fact]
    public async Task A_chart_Telegram_refuses_is_logged_and_the_text_still_goes_out()
    {
        _bot.Telegram.Fault = request => request.Method == "sendphoto" ? FakeReply.BadRequest("IMAGE_PROCESS_FAILED") : null;

        await _bot.SendAsync(Text(Admin, "/stats"));

        Assert.Contains(BotTexts.Get("en", TextNames.StatsHeader), (await _bot.LastReplyAsync()).Text, StringComparison.Ordinal);
        Assert.Contains(_bot.Logs.Messages, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("sendPhoto", StringComparison.Ordinal));
        Assert.Equal(0, await _bot.Database.CountAsync("SELECT COUNT(*) FROM inbox WHERE error IS NOT NULL"));
        Assert.Equal(0, await _bot.Database.CountAsync("SELECT COUNT(*) FROM bot_state WHERE key LIKE 'update:%:chart'"));
    }

    /// <summary>
    /// Yesterday (Baku): A delivered and opened once. Today: B and C delivered, A opened twice, B once; one subscriber
    /// joined and one left. Closed history from October holds figures beyond 2^31. The clock then reads 00:00:30 in
    /// Baku. Returns A.
    /// </summary>
    private async Task<TrackedItem> SeedAsync()
    {
        var a = await DeliveredAsync("Neft & qaz <bazarı>", "https://atlas.az/a", BakuMidnight.AddMinutes(-10));
        var b = await DeliveredAsync("Cənubi Qafqaz", "https://atlas.az/b", BakuMidnight.AddSeconds(5));
        await DeliveredAsync("Xəzər", "https://atlas.az/c", BakuMidnight.AddSeconds(10));
        await _bot.Store.RecordOpensAsync(
            [(a.ItemSeq, BakuMidnight.AddMinutes(-5)), (a.ItemSeq, BakuMidnight.AddSeconds(15)), (a.ItemSeq, BakuMidnight.AddSeconds(16)), (b.ItemSeq, BakuMidnight.AddSeconds(20))],
            default);
        await _bot.Database.CountAsync(
            $"""
            INSERT INTO daily_counts (day, item_seq, kind, language, deliveries, opens) VALUES
                ('2026-10-01', {a.ItemSeq}, 'channel', 'az', 2584343200, 0),
                ('2026-10-01', {a.ItemSeq}, 'link', 'az', 0, 4000000000);
            INSERT INTO daily_summary (day, deliveries, opens, subscribers_active, subscribers_joined, subscribers_left, closed_at)
                VALUES ('2026-10-01', 2584343200, 4000000000, 0, 0, 0, 0)
            RETURNING 0;
            """);
        await _bot.Store.SubscribeAsync(3001, "private", null, "az", ["az"], BakuMidnight.AddHours(-1), default);
        await _bot.Store.SubscribeAsync(3003, "private", null, "az", ["az"], BakuMidnight.AddHours(-2), default);
        await _bot.Store.SubscribeAsync(3002, "private", null, "az", ["az"], BakuMidnight.AddSeconds(12), default);
        await _bot.Store.DeactivateAsync(3003, "stopped", BakuMidnight.AddSeconds(14), default);
        _clock.SetUtcNow(BakuMidnight.AddSeconds(30));
        return a;
    }

    /// <summary>An analysis posted to a channel and confirmed by Telegram at <paramref name="at"/>.</summary>
    private async Task<TrackedItem> DeliveredAsync(string title, string link, DateTimeOffset at)
    {
        await _bot.Store.RecordItemAsync(new ItemRecord("az", link, title, link, at, null, "az"), Post.Text("post"), ["@atlas_az"], at, default);
        var delivery = Assert.Single(await _bot.Store.ClaimDueAsync(at, 10, TimeSpan.FromMinutes(1), default), claimed => claimed.Target == DeliveryTargets.Channel);
        await _bot.Store.MarkSentAsync(delivery.Id, 1, null, at, default);
        return Assert.IsType<TrackedItem>(await _bot.Store.FindTrackedItemByCodeOrLinkAsync(link, default));
    }
}
