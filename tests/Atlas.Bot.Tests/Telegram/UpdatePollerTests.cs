using System.Collections.Concurrent;
using Atlas.Bot.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;

namespace Atlas.Bot.Tests.Telegram;

/// <summary>Long polling through the real client against the fake Bot API, into a real SQLite inbox.</summary>
public sealed class UpdatePollerTests : IAsyncLifetime
{
    private ReceivingRig _rig = null!;

    public async Task InitializeAsync() => _rig = await ReceivingRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task Updates_land_in_the_inbox_in_order_with_the_next_offset_and_wake_the_processor()
    {
        var ids = new long[]
        {
            _rig.Api.EnqueueMessage(7, "/start", "az"), _rig.Api.EnqueueMessage(8, "salam"), _rig.Api.EnqueueCallbackQuery(7, 3, "lang:ru"),
        };
        var woken = _rig.Signal.WaitAsync(TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);

        await RunAsync(_rig.Poller(), () => InboxHasAsync(3));

        var stored = await _rig.Store.UnhandledUpdatesAsync(10, CancellationToken.None);
        Assert.Equal(ids, stored.Select(update => update.UpdateId));
        Assert.Equal(ids[^1] + 1, await _rig.Store.UpdateOffsetAsync(CancellationToken.None));
        await woken.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(UpdateJson.TryParse(stored[0].Payload, out var start, out _));
        Assert.Equal(("/start", "az", MessageEntityType.BotCommand), (start.Message?.Text, start.Message?.From?.LanguageCode, start.Message?.Entities?[0].Type));
        Assert.True(UpdateJson.TryParse(stored[2].Payload, out var press, out _));
        Assert.Equal("lang:ru", press.CallbackQuery?.Data);
    }

    [Fact]
    public async Task It_removes_any_webhook_first_keeping_pending_updates_then_asks_for_the_wanted_update_types()
    {
        await RunAsync(_rig.Poller(), () => _rig.Api.Requests.Any(request => request.Method == "getupdates"));

        var requests = _rig.Api.Requests.ToList();
        Assert.Equal("deletewebhook", requests[0].Method);
        Assert.NotEqual("true", requests[0].Field("drop_pending_updates"));
        var poll = requests.First(request => request.Method == "getupdates");
        Assert.Equal(("100", "1"), (poll.Field("limit"), poll.Field("timeout")));
        Assert.Equal("""["message","edited_message","channel_post","callback_query","my_chat_member"]""", poll.Field("allowed_updates"));
    }

    [Fact]
    public async Task A_webhook_left_by_an_earlier_deployment_does_not_stop_polling()
    {
        await _rig.Client.SetWebhook("https://bot.atlas.az/telegram");
        var waiting = _rig.Api.EnqueueMessage(7, "/start");

        await RunAsync(_rig.Poller(), () => InboxHasAsync(1));

        Assert.Equal(waiting, Assert.Single(await _rig.Store.UnhandledUpdatesAsync(10, CancellationToken.None)).UpdateId);
        Assert.Null(_rig.Api.WebhookUrl);
    }

    [Fact]
    public async Task A_restarted_poller_asks_from_the_stored_offset_so_nothing_is_fetched_twice()
    {
        var first = _rig.Api.EnqueueMessage(7, "/start");
        var second = _rig.Api.EnqueueMessage(7, "/lang");
        await RunAsync(_rig.Poller(), () => InboxHasAsync(2));
        var third = _rig.Api.EnqueueMessage(7, "/stop");
        var restartedAt = _rig.Api.Requests.Max(request => request.Sequence);

        await RunAsync(_rig.Poller(), () => InboxHasAsync(3));

        var firstPollAfterRestart = _rig.Api.Requests.First(request => request.Sequence > restartedAt && request.Method == "getupdates");
        Assert.Equal(second + 1, firstPollAfterRestart.Number("offset"));
        Assert.Equal([first, second, third], (await _rig.Store.UnhandledUpdatesAsync(10, CancellationToken.None)).Select(update => (int)update.UpdateId));
        Assert.Equal(3, await _rig.Database.CountAsync("SELECT COUNT(*) FROM inbox"));
    }

    public static TheoryData<string, FakeReply> Failures => new()
    {
        { "Telegram answered 500", FakeReply.InternalServerError() },
        { "Telegram answered 502", new FakeReply.Raw(502, "<html><body>502 Bad Gateway</body></html>") },
        { "another process is receiving updates for this bot, or a webhook is set",
            new FakeReply.ApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running") },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Failing_polls_wait_longer_each_time_are_logged_once_and_recover(string reason, FakeReply failure)
    {
        var calls = new ConcurrentQueue<DateTimeOffset>();
        _rig.Api.Fault = request =>
        {
            if (request.Method != "getupdates")
            {
                return null;
            }

            calls.Enqueue(DateTimeOffset.UtcNow);
            return calls.Count <= 3 ? failure : null;
        };
        _rig.Api.EnqueueMessage(7, "/start");

        await RunAsync(_rig.Poller(), () => InboxHasAsync(1));

        var at = calls.ToArray();
        // At least 50, 100, 200 ms between attempts (a little slack for timer resolution). No upper bound: a busy
        // machine only makes the gaps longer, and the doubling itself is RetryStreak's, tested on its own.
        Assert.True(at[1] - at[0] >= TimeSpan.FromMilliseconds(40), $"{at[1] - at[0]} after the first failure");
        Assert.True(at[2] - at[1] >= TimeSpan.FromMilliseconds(90), $"{at[2] - at[1]} after the second failure");
        Assert.True(at[3] - at[2] >= TimeSpan.FromMilliseconds(190), $"{at[3] - at[2]} after the third failure");
        var warning = Assert.Single(_rig.LogLines(LogLevel.Warning));
        Assert.Contains($"Receiving updates failed: {reason}", warning, StringComparison.Ordinal);
        Assert.Contains(_rig.LogLines(LogLevel.Information), line => line.Contains("Receiving updates again after 3 failed attempts", StringComparison.Ordinal));
        _rig.AssertNoTokenInLogs();
    }

    [Fact]
    public async Task A_refused_token_stops_polling_with_one_clear_error_and_no_token_in_the_log()
    {
        _rig.Api.Fault = _ => new FakeReply.ApiError(401, "Unauthorized");
        var poller = _rig.Poller();

        await poller.StartAsync(CancellationToken.None);
        await poller.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Single(_rig.Api.Requests);
        var error = Assert.Single(_rig.LogLines(LogLevel.Error));
        Assert.EndsWith(
            "Stopped receiving updates: the bot token was refused by Telegram (401 Unauthorized): check Telegram__BotToken", error, StringComparison.Ordinal);
        _rig.AssertNoTokenInLogs();
        poller.Dispose();
    }

    [Fact]
    public async Task Stopping_ends_a_long_poll_quietly()
    {
        var poller = _rig.Poller();
        await poller.StartAsync(CancellationToken.None);
        await Until.TrueAsync(() => _rig.Api.Requests.Any(request => request.Method == "getupdates"), "a long poll");

        await poller.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(poller.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Empty(_rig.LogLines(LogLevel.Warning));
        Assert.Empty(_rig.LogLines(LogLevel.Error));
        poller.Dispose();
    }

    private async Task<bool> InboxHasAsync(int count) =>
        (await _rig.Store.UnhandledUpdatesAsync(100, CancellationToken.None)).Count >= count;

    private static Task RunAsync(UpdatePoller poller, Func<bool> until) => RunAsync(poller, () => Task.FromResult(until()));

    private static async Task RunAsync(UpdatePoller poller, Func<Task<bool>> until)
    {
        using (poller)
        {
            await poller.StartAsync(CancellationToken.None);
            try
            {
                await Until.TrueAsync(until, "the poller");
            }
            finally
            {
                await poller.StopAsync(CancellationToken.None);
            }
        }
    }
}
