using System.Diagnostics;
using System.Globalization;
using Atlas.Bot.Tests.Telegram.Fake;

namespace Atlas.Bot.Load;

/// <summary>
/// The replicas scenario: --replicas atlas-bot processes on one fresh PostgreSQL database, one Bot API double counting
/// all of them together, and the feed served over HTTP so each poll's process is seen. One analysis fans out to N
/// subscribers while --commands new users send /start (polling mode: every replica may fetch updates). With
/// --kill-sender the replica that is sending (the holder of the <c>delivery-dispatcher</c> lease where that exists,
/// otherwise the one that marked most of the last sends) is killed with SIGKILL mid-fan-out. Once the fan-out is done,
/// the replica that makes the next feed poll is killed as the poll arrives, and the gap to the next poll is measured.
/// </summary>
internal static class ReplicasLoad
{
    /// <summary>Shorter than the default 60 s, so a dead replica's claims come back soon (as in the crash scenario).</summary>
    private const int LeaseSeconds = 10;

    /// <summary>The users who send /start; above every subscriber, so their replies are told apart.</summary>
    private const long FirstUser = 900_000_001;

    private const string SenderLease = "delivery-dispatcher";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>How long into the sending the sender is killed: well into the fan-out at 30/s and at 300/s alike.</summary>
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(8);

    /// <summary>The /start commands arrive spread over this long, from the start of the sending.</summary>
    private static readonly TimeSpan CommandsOver = TimeSpan.FromSeconds(10);

    private sealed record SenderKill(int Replica, string How, DateTimeOffset At, long SentBefore, int InFlight, int AlreadyAccepted, IReadOnlyList<int> SendingJustBefore);

    private sealed record PollKill(int Replica, DateTimeOffset LastPoll, DateTimeOffset? NextPoll, int? NextReplica);

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct)
    {
        options = options with { Postgres = true };
        await using var bed = await LoadBed.CreateAsync(options, ct);
        var chats = await bed.SeedSubscribersAsync(options.Subscribers, ct);
        await using var feed = await FeedHost.StartAsync(bed.FeedPath, ct);
        var (recordedAt, _) = await bed.RecordAnalysisAsync(1, ct);
        var environment = bed.Environment(options, new Dictionary<string, string>
        {
            ["Telegram__Updates"] = "Polling",
            ["Feeds__0__Url"] = feed.Url,
            ["Delivery__LeaseSeconds"] = $"{LeaseSeconds}",
        });

        var wall = Stopwatch.StartNew();
        var replicas = new List<BotProcess>();
        try
        {
            for (var i = 0; i < options.Replicas; i++)
            {
                var bot = bed.StartBot(environment);
                replicas.Add(bot);
                feed.Candidates.Add(bot.Id);
            }

            await WaitAsync(() => bed.Api.Messages.Any(IsFanout), Patience, ct);
            var commands = SendCommandsAsync(bed, options.Commands, ct);
            SenderKill? senderKill = null;
            if (options.KillSender)
            {
                await Task.Delay(KillAfter, ct);
                senderKill = await KillSenderAsync(bed, replicas, ct);
            }

            await commands;
            var complete = await bed.AwaitMessagesAsync(chats.Count + 1 + options.Commands, TimeSpan.MaxValue, Patience, null, ct);
            var fanoutDone = wall.Elapsed;
            // Anything sent twice once a dead replica's claims run out would show up now.
            await Task.Delay(TimeSpan.FromSeconds(LeaseSeconds + 2), ct);
            var pollKill = await KillPollerAsync(feed, replicas, ct);

            var sentBy = (await bed.ListAsync("SELECT claimed_by FROM deliveries WHERE state = 'sent' AND target = 'subscriber';", ct))
                .GroupBy(holder => ReplicaOf(holder, replicas)).OrderBy(group => group.Key).Select(group => (Replica: group.Key, Count: group.Count())).ToList();
            var handledBy = (await bed.ListAsync("SELECT COALESCE(claimed_by, '') FROM inbox WHERE handled_at IS NOT NULL;", ct))
                .GroupBy(holder => ReplicaOf(holder, replicas)).OrderBy(group => group.Key).Select(group => (Replica: group.Key, Count: group.Count())).ToList();
            var messages = bed.Api.Messages;
            var figures = FanoutFigures.From(messages.Where(message => message.ChatId < FirstUser).ToList(), bed.Calls, bed.Api.FloodRefusals, chats,
                new Dictionary<int, DateTimeOffset> { [1] = recordedAt });
            var replies = messages.Where(message => message.ChatId >= FirstUser).GroupBy(message => message.ChatId).ToDictionary(group => group.Key, group => group.Count());
            var answered = replies.Count;
            var twice = replies.Count(pair => pair.Value > 1);
            var gap = pollKill is { NextPoll: { } next } ? next - pollKill.LastPoll : (TimeSpan?)null;

            var write = new FigureWriter(output);
            write.Line("scenario", $"replicas: {options.Replicas} atlas-bot processes on one PostgreSQL database, one analysis to {options.Subscribers} subscribers and 1 channel, Delivery__GlobalPerSecond={options.Rate} each{(options.Paid ? ", paid" : "")}; {FanoutLoad.DoubleText(options)}, all replicas together; Telegram__Updates=Polling on every replica; Delivery__LeaseSeconds={LeaseSeconds}");
            var leases = await bed.CountAsync("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'leases';", ct) > 0;
            write.Line("leadership", $"{(leases ? "leases table present (one sending leader)" : "no leases table: every replica sends at its own full rate (before the leadership leases)")}");
            if (senderKill is { } kill)
            {
                var after = messages.Where(message => IsFanout(message) && message.At > kill.At).Select(message => message.At).DefaultIfEmpty().Min();
                write.Line("kill sender", $"replica {kill.Replica} ({kill.How}) killed with SIGKILL {(kill.At - (messages.Where(IsFanout).Select(message => message.At).DefaultIfEmpty().Min())).TotalSeconds:F1} s into the fan-out, after {kill.SentBefore} sends of its own (replies included); replicas that marked sends in the 2 s before: {string.Join(", ", kill.SendingJustBefore)}");
                write.Line("in flight", $"{kill.InFlight} deliveries leased by it and not marked sent; {kill.AlreadyAccepted} of them already accepted by the Bot API (the duplicates to expect)");
                write.Line("takeover", after == default
                    ? (FormattableString)$"no message accepted after the kill"
                    : $"first message after the kill accepted {(after - kill.At).TotalSeconds:F1} s after it; the fan-out {(complete ? "finished" : "did not finish")} on the others");
            }

            figures.WriteTo(write, options.DoubleLimit);
            write.Line("sent by", $"{string.Join(", ", sentBy.Select(sent => $"replica {sent.Replica}: {sent.Count}"))} (subscriber deliveries marked sent, by claimant)");
            write.Line("commands", $"{options.Commands} /start from new users over {CommandsOver.TotalSeconds:F0} s: {answered} answered, {twice} answered more than once, {options.Commands - answered} unanswered; handled by {string.Join(", ", handledBy.Select(handled => handled.Replica > 0 ? $"replica {handled.Replica}: {handled.Count}" : $"no claimant recorded: {handled.Count}"))}");
            write.Line("polls", $"{feed.Polls.Count} in all; by replica {string.Join(", ", feed.Polls.GroupBy(poll => ReplicaOf(poll.ProcessId, replicas)).OrderBy(group => group.Key).Select(group => $"{group.Key}: {group.Count()}"))} (0: not told)");
            write.Line("poller killed", pollKill is null
                ? (FormattableString)$"no poll to kill within a minute"
                : gap is { } pause
                    ? (FormattableString)$"replica {pollKill.Replica} killed as its poll arrived; the next poll {pause.TotalSeconds:F1} s later, by replica {pollKill.NextReplica} (at most 30 s asked; Feeds__0__Schedule every 2 s)"
                    : $"replica {pollKill.Replica} killed as its poll arrived; no poll in the minute after");
            write.Line("peak memory", $"{string.Join(", ", replicas.Select((bot, i) => $"{bot.PeakMegabytes:F0}"))} MB resident (VmHWM of each replica)");
            write.Line("wall time", $"{fanoutDone.TotalSeconds:F1} s from starting the replicas to the last message{(complete ? "" : " (gave up: nothing new arrived for a minute)")}; {wall.Elapsed.TotalSeconds:F1} s in all");
            write.Line("reproduce", $"{options.Command}");
            if (!complete)
            {
                await Console.Error.WriteLineAsync(replicas[^1].Tail);
            }

            return complete && figures.Losses == 0 && figures.TooManyRequests == 0 && answered == options.Commands && twice == 0
                   && figures.Duplicates <= (senderKill?.InFlight ?? 0) && gap is { } measured && measured <= TimeSpan.FromSeconds(30)
                ? 0
                : 1;
        }
        finally
        {
            foreach (var bot in replicas)
            {
                await bot.DisposeAsync();
            }
        }
    }

    /// <summary>A message of the fan-out: to a subscriber, not a reply to one of the users who sent /start.</summary>
    private static bool IsFanout(SentMessage message) => message.ChatId is >= LoadBed.FirstChat and < FirstUser;

    /// <summary>/start from <paramref name="count"/> new users, evenly over <see cref="CommandsOver"/>, as getUpdates would bring them.</summary>
    private static async Task SendCommandsAsync(LoadBed bed, int count, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            bed.Api.EnqueueMessage(FirstUser + i, "/start");
            var due = CommandsOver * ((i + 1) / (double)count) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, ct);
            }
        }
    }

    /// <summary>
    /// Kills the replica that is sending: the holder of the sender's lease row where the leadership leases exist,
    /// otherwise the claimant of most of the last 200 sends. Then reads what it had in flight.
    /// </summary>
    private static async Task<SenderKill> KillSenderAsync(LoadBed bed, List<BotProcess> replicas, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var leases = await bed.CountAsync("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'leases';", ct) > 0;
        var holder = leases
            ? (await bed.ListAsync("SELECT holder FROM leases WHERE name = @name AND until > @now;", ct, ("@name", SenderLease), ("@now", now))).FirstOrDefault()
            : null;
        var how = holder is not null ? $"holder of the {SenderLease} lease" : "claimant of most of the last 200 sends";
        holder ??= (await bed.ListAsync("SELECT claimed_by FROM deliveries WHERE state = 'sent' AND claimed_by IS NOT NULL ORDER BY sent_at DESC LIMIT 200;", ct))
            .GroupBy(claimant => ProcessOf(claimant)).OrderByDescending(group => group.Count()).First().First();
        var replica = ReplicaOf(holder, replicas);
        if (replica == 0)
        {
            throw new InvalidOperationException($"the sender {holder} is none of the replicas started");
        }

        var who = $"%/{ProcessOf(holder).ToString(CultureInfo.InvariantCulture)}/%";
        var justBefore = (await bed.ListAsync("SELECT DISTINCT claimed_by FROM deliveries WHERE state = 'sent' AND sent_at > @since;", ct, ("@since", now - 2000)))
            .Select(claimant => ReplicaOf(claimant, replicas)).Distinct().Order().ToList();

        await replicas[replica - 1].KillAsync();
        var at = DateTimeOffset.UtcNow;
        var sent = await bed.CountAsync("SELECT COUNT(*) FROM deliveries WHERE state = 'sent' AND claimed_by LIKE @who;", ct, ("@who", who));
        var leased = await bed.ListAsync("SELECT chat FROM deliveries WHERE state = 'pending' AND lease_until > @now AND claimed_by LIKE @who;", ct,
            ("@now", at.ToUnixTimeMilliseconds()), ("@who", who));
        var accepted = bed.Api.Messages.Select(message => message.Chat).ToHashSet(StringComparer.Ordinal);
        return new SenderKill(replica, how, at, sent, leased.Count, leased.Count(accepted.Contains), justBefore);
    }

    /// <summary>Waits for the next poll a replica makes, kills that replica as it arrives, and waits for the poll after it.</summary>
    private static async Task<PollKill?> KillPollerAsync(FeedHost feed, List<BotProcess> replicas, CancellationToken ct)
    {
        var seen = feed.Polls.Count;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            var poll = feed.Polls.Skip(seen).FirstOrDefault(poll => ReplicaOf(poll.ProcessId, replicas) is > 0 and var replica && !replicas[replica - 1].HasExited);
            if (poll is not null)
            {
                var replica = ReplicaOf(poll.ProcessId, replicas);
                await replicas[replica - 1].KillAsync();
                var killed = DateTimeOffset.UtcNow;
                Poll? next = null;
                await WaitAsync(() => (next = feed.Polls.FirstOrDefault(later => later.At > killed)) is not null, Patience, ct);
                return new PollKill(replica, poll.At, next?.At, next is null ? null : ReplicaOf(next.ProcessId, replicas));
            }

            await Task.Delay(20, ct);
        }

        return null;
    }

    private static async Task WaitAsync(Func<bool> done, TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!done() && clock.Elapsed < limit)
        {
            await Task.Delay(50, ct);
        }
    }

    /// <summary>The process id in a claimant or holder (host/pid/random); 0 when it has none.</summary>
    private static int ProcessOf(string? claimant) =>
        claimant?.Split('/') is [_, var pid, ..] && int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;

    /// <summary>Replicas are numbered from 1 in the order they were started; 0 for anyone else.</summary>
    private static int ReplicaOf(string? claimant, List<BotProcess> replicas) => ReplicaOf(ProcessOf(claimant), replicas);

    private static int ReplicaOf(int processId, List<BotProcess> replicas) => replicas.FindIndex(bot => bot.Id == processId) + 1;
}
