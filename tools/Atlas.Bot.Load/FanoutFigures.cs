using System.Globalization;
using Atlas.Bot.Tests.Telegram.Fake;

namespace Atlas.Bot.Load;

/// <summary>
/// What the Bot API double saw of a fan-out, reduced to the figures. Subscribers are the positive chat ids;
/// the channel is left out of rates and latencies. Times are the double's acceptance times.
/// </summary>
internal sealed record FanoutFigures(
    int Accepted,
    double SteadyRate,
    TimeSpan SteadyWindow,
    int TooManyRequests,
    int TooManyRequestsSteady,
    int TooManyRequestsPerChat,
    double LatencyP50,
    double LatencyP99,
    int Duplicates,
    int Losses,
    int Expected,
    int PaidCalls,
    int SendCalls,
    TimeSpan Sending)
{
    /// <summary>The most messages the double accepted in any 100 ms (arrival times): even spacing gives a tenth of the rate.</summary>
    public int Densest100Ms { get; init; }

    /// <summary>
    /// Reduces the double's records. <paramref name="expected"/> are the chats that must receive every one of
    /// <paramref name="recorded"/> (analysis number, when it was recorded); <paramref name="refusals"/> are the sends the
    /// double answered with 429 from its flood control (not injected faults, not blocked chats).
    /// </summary>
    public static FanoutFigures From(
        IReadOnlyList<SentMessage> messages, IReadOnlyCollection<Call> calls, IReadOnlyCollection<FloodRefusal> refusals,
        IReadOnlyCollection<long> expected, IReadOnlyDictionary<int, DateTimeOffset> recorded)
    {
        var toSubscribers = messages.Where(message => message.ChatId > 0).ToList();
        var times = toSubscribers.Select(message => message.At).Order().ToArray();
        var (rate, window) = Steady(times);

        var perPair = toSubscribers.GroupBy(message => (message.ChatId, Analysis: LoadBed.AnalysisOf(message))).ToDictionary(group => group.Key, group => group.ToList());
        var duplicates = perPair.Values.Sum(group => group.Count - 1);
        var losses = expected.Sum(chat => recorded.Keys.Count(analysis => !perPair.ContainsKey((chat, analysis))));
        var latencies = perPair
            .Where(pair => recorded.ContainsKey(pair.Key.Analysis))
            .Select(pair => (pair.Value.Min(message => message.At) - recorded[pair.Key.Analysis]).TotalMilliseconds)
            .Order()
            .ToArray();

        var acceptedPerChat = messages.GroupBy(message => message.Chat).ToDictionary(group => group.Key, group => group.Count());
        var tooMany = refusals.Select(refusal => (At: refusal.At, Chat: refusal.Chat)).ToList();
        var steadyFrom = times.Length > 0 ? times[0] + TimeSpan.FromSeconds(1) : DateTimeOffset.MinValue;
        var steadyTo = times.Length > 0 ? times[^1] - TimeSpan.FromSeconds(1) : DateTimeOffset.MinValue;
        var sends = calls.Where(call => call.IsSend).ToList();
        return new FanoutFigures(
            toSubscribers.Count, rate, window, tooMany.Count, tooMany.Count(refusal => refusal.At >= steadyFrom && refusal.At <= steadyTo),
            tooMany.Count(refusal => acceptedPerChat.GetValueOrDefault(refusal.Chat) > 1 || !refusal.Chat.All(char.IsAsciiDigit)),
            Percentile(latencies, 50), Percentile(latencies, 99), duplicates, losses, expected.Count * recorded.Count,
            sends.Count(call => call.Paid), sends.Count, times.Length > 1 ? times[^1] - times[0] : TimeSpan.Zero)
        {
            Densest100Ms = Densest(messages.Select(message => message.At).Order().ToArray(), TimeSpan.FromMilliseconds(100)),
        };
    }

    /// <summary>Messages a second between the first and the last second of sending, which hold the start-up and the tail.</summary>
    private static (double Rate, TimeSpan Window) Steady(DateTimeOffset[] times)
    {
        if (times.Length < 2 || times[^1] - times[0] <= TimeSpan.FromSeconds(3))
        {
            return (double.NaN, TimeSpan.Zero);
        }

        var from = times[0] + TimeSpan.FromSeconds(1);
        var to = times[^1] - TimeSpan.FromSeconds(1);
        var inside = times.Count(time => time >= from && time < to);
        return (inside / (to - from).TotalSeconds, to - from);
    }

    private static int Densest(DateTimeOffset[] sorted, TimeSpan window)
    {
        var densest = 0;
        var end = 0;
        for (var start = 0; start < sorted.Length; start++)
        {
            while (end < sorted.Length && sorted[end] < sorted[start] + window)
            {
                end++;
            }

            densest = Math.Max(densest, end - start);
        }

        return densest;
    }

    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(double[] sorted, int percent) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1)];

    /// <param name="stopped">The run was stopped on purpose before the end: what did not arrive is still to come, not lost.</param>
    /// <param name="guardBand">Whether the shortfall is the governor's guard band (a plain fan-out, no injected faults).</param>
    public void WriteTo(FigureWriter output, int limit, bool stopped = false, bool guardBand = false)
    {
        output.Line("delivered", $"{Accepted} of {Expected} subscriber messages in {Sending.TotalSeconds:F1} s (first to last acceptance)");
        output.Line("steady rate", double.IsNaN(SteadyRate)
            ? (FormattableString)$"n/a (under 3 s of sending)"
            : $"{SteadyRate:F1}/s of {limit}/s = {100 * SteadyRate / limit:F1}% (over {SteadyWindow.TotalSeconds:F1} s, first and last second left out)");
        if (guardBand && !double.IsNaN(SteadyRate) && SteadyRate < limit)
        {
            // The governor holds each send's place until a second after its answer: N per (1 s + answer time).
            output.Line("guard band", $"{100 * (1 - (SteadyRate / limit)):F1}% of the limit = {1000 * ((limit / SteadyRate) - 1):F0} ms per send from the bot's go to its answer, on top of the second");
        }

        output.Line("densest 100 ms", $"{Densest100Ms} messages accepted (evenly spaced: {limit / 10.0:0.#})");
        output.Line("429s", $"{TooManyRequests} in all, {TooManyRequestsSteady} in steady state; {TooManyRequestsPerChat} into the channel or chats that got more than one message");
        output.Line("latency", $"p50 {LatencyP50 / 1000:F1} s  p99 {LatencyP99 / 1000:F1} s (analysis recorded -> accepted by the Bot API)");
        output.Line("duplicates", $"{Duplicates} (messages beyond the first to the same chat for the same analysis)");
        output.Line(stopped ? "not yet sent" : "losses", stopped
            ? (FormattableString)$"{Losses} (the run was stopped before the end)"
            : $"{Losses} (chat and analysis pairs that never arrived)");
        output.Line("paid sends", $"{PaidCalls} of {SendCalls} send calls had allow_paid_broadcast");
    }
}

/// <summary>Prints a block of "name   value" lines, invariant culture, aligned like the opens report.</summary>
internal sealed class FigureWriter(TextWriter output)
{
    public void Line(string name, FormattableString value) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-18} {FormattableString.Invariant(value)}"));
}
