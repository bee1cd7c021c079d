using Atlas.Bot.Delivery;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using static Atlas.Bot.Tests.EndToEnd.WordPressFeed;

namespace Atlas.Bot.Tests.EndToEnd;

/// <summary>Retention in the whole host: a month-old database loses its old deliveries, and nothing is posted twice.</summary>
public abstract class RetentionTests(Provider provider) : HostTest(provider)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Analyses_whose_deliveries_retention_deleted_are_not_posted_again_while_the_feed_still_lists_them()
    {
        Feeds.Publish("/en.xml", Rss(new Article(1), new Article(2)));
        await using (var bot = await StartBotAsync(Settings()))
        {
            await BotApi.WaitForMessagesAsync(2, Patience);
        }

        await MoveBackAsync(TimeSpan.FromDays(30));
        await using (var bot = await StartBotAsync(Settings()))
        {
            // The day closer counts the month at start; retention deletes the posts' deliveries once their days are closed.
            var retention = bot.Services.GetRequiredService<Retention>();
            await Until.TrueAsync(async () =>
            {
                await retention.PruneAsync(CancellationToken.None);
                return await CountAsync("SELECT COUNT(*) FROM deliveries") == 0;
            }, "retention to delete the month-old deliveries", Patience);

            Feeds.Publish("/en.xml", Rss(new Article(1), new Article(2), new Article(3)));
            await BotApi.WaitForMessagesAsync(3, Patience);
            await Task.Delay(TimeSpan.FromSeconds(3)); // a further poll: nothing more may come
        }

        Assert.Equal([1, 2, 3], ArticlesIn("@atlas_en", BotApi.Messages));
        Assert.Equal(2, await CountAsync("SELECT SUM(deliveries) FROM daily_summary"));
    }

    private Dictionary<string, string?> Settings() => new(Settings(backfill: 2, "@atlas_en")) { ["Storage:KeepDays"] = "7" };

    /// <summary>Time passes while the bot is stopped: every instant it stored moves back by <paramref name="by"/>.</summary>
    private async Task MoveBackAsync(TimeSpan by)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE deliveries SET created_at = created_at - @by, not_before = not_before - @by, sent_at = sent_at - @by;
            UPDATE items SET seen_at = seen_at - @by;
            UPDATE links SET created_at = created_at - @by;
            """;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "by";
        parameter.Value = (long)by.TotalMilliseconds;
        command.Parameters.Add(parameter);
        await command.ExecuteNonQueryAsync();
    }
}

public sealed class RetentionTests_Sqlite() : RetentionTests(Provider.Sqlite);

public sealed class RetentionTests_Postgres() : RetentionTests(Provider.Postgres);
