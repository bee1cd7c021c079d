using Atlas.Bot.Commands;
using Atlas.Bot.Feeds;
using Atlas.Bot.Tests.Feeds.Fake;
using Microsoft.Extensions.DependencyInjection;
using Telegram.Bot;
using Telegram.Bot.Types;
using static Atlas.Bot.Tests.Commands.Updates;

namespace Atlas.Bot.Tests.Commands;

public sealed class UpdateProcessorTests
{
    [Fact]
    public async Task The_same_update_handled_twice_after_a_crash_queues_one_reply_and_one_audit_line()
    {
        await using var bot = await CommandHarness.StartAsync();
        await bot.SendAsync(Text(CommandHarness.Admin, "/stats"));

        // A crash between handling and marking: the update is still unhandled at the next start.
        await bot.Database.CountAsync("UPDATE inbox SET handled_at = NULL RETURNING 0");
        await bot.Processor.HandlePendingAsync(default);

        Assert.Single(await bot.RepliesAsync());
        Assert.Equal(1, await bot.Database.CountAsync("SELECT COUNT(*) FROM audit"));
        Assert.Equal(0, await bot.Database.CountAsync("SELECT COUNT(*) FROM inbox WHERE handled_at IS NULL"));
    }

    [Fact]
    public async Task A_handler_that_throws_is_logged_in_one_line_and_the_updates_behind_it_are_handled()
    {
        await using var bot = await CommandHarness.StartAsync(services =>
            services.AddHttpClient<FeedFetcher>().ConfigurePrimaryHttpMessageHandler(() => new FailingHandler(new InvalidOperationException("handler bug"))));
        await bot.StoreAsync(1, Json(Text(CommandHarness.Admin, "/preview https://example.org/feed"), 1));
        await bot.StoreAsync(2, Json(Text(2001, "/help"), 2));

        await bot.Processor.HandlePendingAsync(default);

        Assert.Equal(1, await bot.Database.CountAsync("SELECT COUNT(*) FROM inbox WHERE update_id = 1 AND error LIKE '%handler bug%'"));
        Assert.Equal(BotTexts.Get("en", TextNames.Help), Assert.Single(await bot.RepliesAsync()).Text);
        var error = Assert.Single(bot.Logs.Messages, line => line.StartsWith("Error", StringComparison.Ordinal));
        Assert.Contains("Update 1 (/preview) failed", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("null")]
    [InlineData("{\"update_id\": 3, \"message\": {\"message_id\": \"x\"}}")]
    public async Task A_payload_that_is_not_an_update_is_marked_with_a_reason_and_skipped(string payload)
    {
        await using var bot = await CommandHarness.StartAsync();
        await bot.StoreAsync(3, payload);

        await bot.Processor.HandlePendingAsync(default);

        Assert.Equal(1, await bot.Database.CountAsync("SELECT COUNT(*) FROM inbox WHERE update_id = 3 AND handled_at IS NOT NULL AND error LIKE 'unreadable%'"));
        var warning = Assert.Single(bot.Logs.Messages, line => line.StartsWith("Warning", StringComparison.Ordinal));
        Assert.DoesNotContain("Exception", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_running_processor_handles_what_arrives_in_order()
    {
        await using var bot = await CommandHarness.StartAsync();
        await bot.Processor.StartAsync(default);
        try
        {
            await bot.StoreAsync(10, Json(Text(2001, "/start"), 10));
            await bot.StoreAsync(11, Json(Text(2001, "/stop"), 11));
            bot.Get<CommandHarness.TestInboxSignal>().Notify();

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (await bot.Database.CountAsync("SELECT COUNT(*) FROM inbox WHERE handled_at IS NULL") > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
        finally
        {
            await bot.Processor.StopAsync(default);
        }

        Assert.Equal(new[] { TextNames.StartNew, TextNames.Stopped }.Select(name => BotTexts.Get("en", name)), (await bot.RepliesAsync()).Select(reply => reply.Text));
    }

    private static string Json(Update update, int id)
    {
        update.Id = id;
        return System.Text.Json.JsonSerializer.Serialize(update, JsonBotAPI.Options);
    }
}
