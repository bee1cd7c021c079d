using System.Collections.Concurrent;
using Atlas.Bot.Delivery;
using Atlas.Bot.Posts;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Atlas.Bot.Tests.Delivery;

/// <summary>
/// Two replicas' dispatchers (each its own store on one SQLite file, its own governor) on one outbox, sending through the
/// real client to the Bot API double, whose flood limits are Telegram's, counted strictly.
/// </summary>
public sealed class DispatcherReplicasTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Subscribers = 150;

    private readonly ConcurrentQueue<(string Replica, string Chat, DateTimeOffset At)> _sends = new();
    private TempDatabase _db = null!;
    private FakeBotApi _api = null!;

    public async Task InitializeAsync()
    {
        _db = await TempDatabase.CreateAsync();
        _api = await FakeBotApi.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _db.DisposeAsync();
        FloodAssert.NoneRefused(_api);
    }

    [Fact]
    public async Task Only_the_leader_sends_and_when_it_stops_the_other_finishes_the_fan_out_each_post_once_within_the_limits()
    {
        var chats = await _db.SubscribeManyAsync(5_000_000, Subscribers, "en");
        var now = DateTimeOffset.UtcNow;
        await _db.Store.RecordItemAsync(new ItemRecord("feed", "a", "A", "https://atlas.az/a", now, null, "en"), new Post("A", ButtonText: "Read", ButtonUrl: "https://atlas.az/a"), [], now, CancellationToken.None);

        await using var a = await Replica.StartAsync("a", _db, _api, _sends);
        await Until.TrueAsync(() => !_sends.IsEmpty, "the first replica to send");
        await using var b = await Replica.StartAsync("b", _db, _api, _sends);
        await Until.TrueAsync(() => _sends.Count >= 45, "a third of the fan-out", TimeSpan.FromSeconds(30));

        await a.StopAsync();
        var stoppedAt = DateTimeOffset.UtcNow;
        var sentByLeader = _sends.Count;
        await Until.TrueAsync(async () => await _db.CountAsync("SELECT COUNT(*) FROM deliveries WHERE state = 'sent'") == Subscribers, "the other replica to finish", TimeSpan.FromSeconds(60));

        var sends = _sends.ToList();
        var firstOfB = sends.First(send => send.Replica == "b").At;
        output.WriteLine($"replica a sent {sentByLeader}, stopped; replica b took over {(firstOfB - stoppedAt).TotalSeconds:0.00} s later and sent {sends.Count(send => send.Replica == "b")}");
        Assert.All(sends.Take(sentByLeader), send => Assert.Equal("a", send.Replica));
        Assert.All(sends.Skip(sentByLeader), send => Assert.Equal("b", send.Replica));
        Assert.Equal(chats.Select(chat => chat.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), sends.Select(send => send.Chat).Order());
        Assert.Equal(Subscribers, _api.Messages.Select(message => message.ChatId).Distinct().Count());
        Assert.Equal(Subscribers, _api.Messages.Count);
        Assert.InRange(firstOfB - stoppedAt, TimeSpan.Zero, Leadership.StandbyRetry + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_leader_that_loses_its_lease_stops_sending_and_the_fan_out_goes_on_only_under_the_next_leader()
    {
        const int subscribers = 300;
        using var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(logs));
        await _db.SubscribeManyAsync(6_000_000, subscribers, "en");
        var now = DateTimeOffset.UtcNow;
        await _db.Store.RecordItemAsync(new ItemRecord("feed", "b", "B", "https://atlas.az/b", now, null, "en"), new Post("B", ButtonText: "Read", ButtonUrl: "https://atlas.az/b"), [], now, CancellationToken.None);
        await using var a = await Replica.StartAsync("a", _db, _api, _sends, loggers);
        await Until.TrueAsync(() => !_sends.IsEmpty, "the first replica to send");
        await using var b = await Replica.StartAsync("b", _db, _api, _sends, loggers);

        // A third holder appears (as after renewals that came too late): the leader finds out at its next renewal.
        await _db.CountAsync("UPDATE leases SET holder = 'elsewhere', until = until + 600000 WHERE name = 'delivery-dispatcher'; SELECT 0;");
        await Until.TrueAsync(() => logs.Messages.Any(line => line.Contains("Stopped leading delivery-dispatcher", StringComparison.Ordinal)), "the leader to notice", TimeSpan.FromSeconds(20));
        // Its sends on the wire get the dispatcher's grace; after that nothing is sent while the third holder leads.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var sentBeforeHandOver = _sends.Count;
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(sentBeforeHandOver, _sends.Count);
        Assert.InRange(sentBeforeHandOver, 1, subscribers - 1);

        var handedOverAt = DateTimeOffset.UtcNow;
        await _db.CountAsync("DELETE FROM leases WHERE holder = 'elsewhere'; SELECT 0;");
        await Until.TrueAsync(async () => await _db.CountAsync("SELECT COUNT(*) FROM deliveries WHERE state = 'sent'") == subscribers, "the other replica to finish", TimeSpan.FromSeconds(60));

        var sends = _sends.ToList();
        // Either replica may be the next leader (both ask every 2 s); one of them finishes, none sent meanwhile.
        var after = sends.Skip(sentBeforeHandOver).ToList();
        output.WriteLine($"replica a sent {sentBeforeHandOver} before it lost the lease; replica {after[0].Replica} sent {after.Count} after the third holder left");
        Assert.All(sends.Take(sentBeforeHandOver), send => Assert.Equal("a", send.Replica));
        Assert.Single(after.Select(send => send.Replica).Distinct());
        Assert.All(after, send => Assert.True(send.At >= handedOverAt));
        Assert.Equal(subscribers, _api.Messages.Select(message => message.ChatId).Distinct().Count());
        Assert.Equal(subscribers, _api.Messages.Count);
    }

    /// <summary>One replica's sending side, as the host wires it; records each accepted send with the replica's name.</summary>
    private sealed class Replica : IAsyncDisposable
    {
        private readonly OutboxSignal _signal = new();
        private readonly TestMeterFactory _meters = new();
        private readonly RateGovernor _governor;
        private readonly AdminAlerts _alerts;
        private readonly Dispatcher _dispatcher;
        private readonly Store _store;
        private bool _stopped;

        private Replica(string name, TempDatabase db, FakeBotApi api, ConcurrentQueue<(string, string, DateTimeOffset)> sends, ILoggerFactory? loggers)
        {
            var time = TimeProvider.System;
            var store = _store = db.OpenAnotherStore();
            var limits = Options.Create(new RateLimits());
            _governor = new RateGovernor(limits, time);
            _alerts = new AdminAlerts(store, new Outbox(store), _signal, Options.Create(new TelegramOptions()), Options.Create(new AlertOptions()), time, NullLogger<AdminAlerts>.Instance);
            var metrics = new BotMetrics(_meters, time);
            var sender = new RecordingSender(name, new TelegramSender(api.CreateClient(), NullLogger<TelegramSender>.Instance, time), sends);
            var leadership = new Leadership(store, ReplicaIdentity.ForThisProcess(), metrics, time, loggers?.CreateLogger<Leadership>() ?? NullLogger<Leadership>.Instance);
            _dispatcher = new Dispatcher(store, new Outbox(store), sender, _governor, _signal, new DeliverySwitch(store, _signal), metrics, _alerts, leadership,
                Options.Create(new DeliveryOptions()), limits, Options.Create(new TrackingOptions()), new StatsDays(TimeZoneInfo.FindSystemTimeZoneById("Asia/Baku")), time, NullLogger<Dispatcher>.Instance);
        }

        public static async Task<Replica> StartAsync(string name, TempDatabase db, FakeBotApi api, ConcurrentQueue<(string, string, DateTimeOffset)> sends, ILoggerFactory? loggers = null)
        {
            var replica = new Replica(name, db, api, sends, loggers);
            await replica._dispatcher.StartAsync(CancellationToken.None);
            return replica;
        }

        public async Task StopAsync()
        {
            if (!_stopped)
            {
                _stopped = true;
                await _dispatcher.StopAsync(CancellationToken.None);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _dispatcher.Dispose();
            _alerts.Dispose();
            _governor.Dispose();
            _signal.Dispose();
            _meters.Dispose();
            await _store.DisposeAsync();
        }
    }

    private sealed class RecordingSender(string replica, ITelegramSender inner, ConcurrentQueue<(string, string, DateTimeOffset)> sends) : ITelegramSender
    {
        public async Task<SendResult> SendAsync(string chat, OutgoingMessage message, CancellationToken cancellationToken)
        {
            var result = await inner.SendAsync(chat, message, cancellationToken);
            if (result is SendResult.Sent)
            {
                sends.Enqueue((replica, chat, DateTimeOffset.UtcNow));
            }

            return result;
        }

        public Task<SendResult> EditAsync(string chat, int messageId, string? shownPhoto, OutgoingMessage message, CancellationToken cancellationToken) =>
            inner.EditAsync(chat, messageId, shownPhoto, message, cancellationToken);
    }
}
