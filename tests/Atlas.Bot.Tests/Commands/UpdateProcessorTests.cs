using Atlas.Bot.Commands;
using Atlas.Bot.Feeds;
using Atlas.Bot.Tests.Feeds.Fake;
using Atlas.Bot.Tests.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
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

        // A crash between handling and marking: the update is still unhandled when the next start's lease allows it.
        await bot.Database.CountAsync("UPDATE inbox SET handled_at = NULL, lease_until = NULL RETURNING 0");
        await bot.Processor.HandlePendingAsync(default);

        Assert.Single(await bot.RepliesAsync());
        Assert.Equal(1, await bot.Database.CountAsync("SELECT COUNT(*) FROM audit"));
        Assert.Equal(0, await bot.Database.CountAsync("SELECT COUNT(*) FROM inbox WHERE handled_at IS NULL"));
    }

    [Fact]
    public async Task A_handler_that_throws_is_logged_in_one_line_and_the_updates_behind_it_are_handled()
    {
        await using var bot = await CommandHarness.StartAsync(services => FailFetches(services, new InvalidOperationException("handler bug")));
        await bot.StoreAsync(1, Json(Text(CommandHarness.Admin, "/preview https://example.org/feed"), 1));
        await bot.StoreAsync(2, Json(Text(2001, "/help"), 2));

        await bot.Processor.HandlePendingAsync(default);

        Assert.Equal(1, await bot.Database.CountAsync("SELECT COUNT(*) FROM inbox WHERE update_id = 1 AND error = 'InvalidOperationException: handler bug'"));
        Assert.Equal(BotTexts.Get("en", TextNames.Help), Assert.Single(await bot.RepliesAsync()).Text);
        var error = Assert.Single(bot.Logs.Messages, line => line.StartsWith("Error", StringComparison.Ordinal));
        Assert.Contains("Update 1 (/preview) failed", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bot_token_in_a_handlers_error_is_neither_stored_nor_logged()
    {
        var token = FakeBotApi.DefaultToken;
        await using var bot = await CommandHarness.StartAsync(services =>
            FailFetches(services, new InvalidOperationException($"POST https://api.telegram.org/bot{token}/getChatMember failed", new IOException($"bot{token} refused"))));

        await bot.SendAsync(Text(CommandHarness.Admin, "/preview https://example.org/feed"));

        var stored = Assert.Single(await bot.Database.ListAsync("SELECT error FROM inbox"));
        Assert.Equal("InvalidOperationException: POST https://api.telegram.org/bot<redacted>/getChatMember failed", stored);
        Assert.Contains(bot.Logs.Messages, line => line.StartsWith("Debug", StringComparison.Ordinal) && line.Contains("IOException: bot<redacted> refused", StringComparison.Ordinal));
        Assert.DoesNotContain(bot.Logs.Messages, line => line.Contains(token, StringComparison.Ordinal) || line.Contains(token.Split(':')[1], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_command_that_meets_a_database_locked_by_another_process_is_tried_again_and_answered()
    {
        var other = new SqliteConnection();
        // Another process (a backup script, sqlite3 at a prompt) takes the write lock once the update is claimed, just
        // before its handler runs (the processor asks for the bot's username then), and holds it longer than the store waits.
        await using var bot = await CommandHarness.StartAsync(
            services => services.AddSingleton(provider => new ReceivingSide(provider.GetRequiredService<CommandHarness.TestInboxSignal>(), async ct =>
            {
                if (other.State != System.Data.ConnectionState.Open)
                {
                    await other.OpenAsync(ct);
                    await using var begin = other.CreateCommand();
                    begin.CommandText = "BEGIN EXCLUSIVE;";
                    await begin.ExecuteNonQueryAsync(ct);
                }

                return CommandHarness.BotUsername;
            })),
            busyTimeoutSeconds: 1);
        other.ConnectionString = bot.Database.ConnectionString;
        await using var closing = other;
        await bot.StoreAsync(1, Json(Text(2001, "/help"), 1));

        var handling = bot.Processor.HandlePendingAsync(default);
        await Until.TrueAsync(
            () => Task.FromResult(bot.Logs.Messages.Any(line => line.Contains("transient database error", StringComparison.Ordinal))), "the first attempt to fail", TimeSpan.FromSeconds(30));
        await using (var commit = other.CreateCommand())
        {
            commit.CommandText = "COMMIT;";
            await commit.ExecuteNonQueryAsync();
        }

        await handling.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(BotTexts.Get("en", TextNames.Help), Assert.Single(await bot.RepliesAsync()).Text);
        Assert.Equal(1, await bot.Database.CountAsync("SELECT COUNT(*) FROM inbox WHERE handled_at IS NOT NULL AND error IS NULL"));
        var warning = Assert.Single(bot.Logs.Messages, line => line.StartsWith("Warning", StringComparison.Ordinal));
        Assert.Contains("Update 1 (/help) met a transient database error (SqliteException: SQLite Error 5: 'database is locked'.); trying again in 1 s", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(bot.Logs.Messages, line => line.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_command_that_keeps_meeting_a_transient_database_error_is_given_up_after_four_attempts_and_the_next_is_handled()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var attempts = 0;
        await using var bot = await CommandHarness.StartAsync(services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddHttpClient(FetchServiceCollectionExtensions.UntrustedClient).ConfigurePrimaryHttpMessageHandler(() => new CountingHandler(() =>
            {
                Interlocked.Increment(ref attempts);
                throw new SqliteException("SQLite Error 5: 'database is locked'.", 5);
            }));
        });
        await bot.StoreAsync(1, Json(Text(CommandHarness.Admin, "/preview https://example.org/feed"), 1));
        await bot.StoreAsync(2, Json(Text(2001, "/help"), 2));

        var handling = bot.Processor.HandlePendingAsync(default);
        // The waits between attempts (1, 2 and 4 s) pass on the test's clock.
        while (!handling.IsCompleted)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        await handling;
        Assert.Equal(4, attempts);
        Assert.Equal(["SqliteException: SQLite Error 5: 'database is locked'. (after 4 attempts)"], await bot.Database.ListAsync("SELECT error FROM inbox WHERE update_id = 1"));
        Assert.Equal(BotTexts.Get("en", TextNames.Help), Assert.Single(await bot.RepliesAsync()).Text);
        Assert.Equal(3, bot.Logs.Messages.Count(line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("transient database error", StringComparison.Ordinal)));
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
    public async Task The_running_processor_handles_what_arrives_in_order_on_the_replica_that_sends()
    {
        await using var bot = await CommandHarness.StartAsync();
        // Updates are handled where the dispatcher leads: with it running, this process is that replica.
        await bot.StartSendingAsync();
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

    /// <summary>Every fetch of an address nobody configured (so /preview &lt;url&gt;) fails with <paramref name="failure"/>.</summary>
    private static void FailFetches(IServiceCollection services, Exception failure) =>
        services.AddHttpClient(FetchServiceCollectionExtensions.UntrustedClient).ConfigurePrimaryHttpMessageHandler(() => new FailingHandler(failure));

    private sealed class CountingHandler(Func<HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer());
    }

    private static string Json(Update update, int id)
    {
        update.Id = id;
        return System.Text.Json.JsonSerializer.Serialize(update, JsonBotAPI.Options);
    }
}
