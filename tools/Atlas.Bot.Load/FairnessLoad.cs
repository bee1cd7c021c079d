using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Atlas.Bot.Load;

/// <summary>
/// The fairness scenario: analyses published together, before atlas-bot starts. Half the subscribers read English
/// and get 3 new analyses: each must arrive as its own message, in publication order. The other half read Russian and
/// get 7, more than <c>Delivery__DigestThreshold</c> (5): each must get one digest listing all 7 in publication order,
/// instead of a flood. Every analysis also goes to the channel first.
/// </summary>
internal static partial class FairnessLoad
{
    private static readonly int[] English = [1, 2, 3];
    private static readonly int[] Russian = [11, 12, 13, 14, 15, 16, 17];
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct)
    {
        await using var bed = await LoadBed.CreateAsync(options, ct);
        var half = options.Subscribers / 2;
        var english = await bed.SeedSubscribersAsync(half, ct, "en");
        var russian = await bed.SeedSubscribersAsync(options.Subscribers - half, ct, "ru", LoadBed.FirstChat + half);
        foreach (var number in English)
        {
            await bed.RecordAnalysisAsync(number, ct, "en");
        }

        foreach (var number in Russian)
        {
            await bed.RecordAnalysisAsync(number, ct, "ru");
        }

        var expected = english.Count * English.Length + russian.Count + English.Length + Russian.Length;
        var wall = Stopwatch.StartNew();
        bool complete;
        double peak;
        var bot = bed.StartBot(bed.Environment(options));
        await using (bot)
        {
            complete = await bed.AwaitMessagesAsync(expected, TimeSpan.MaxValue, Patience, bot, ct);
            await Task.Delay(TimeSpan.FromSeconds(3), ct); // anything extra would arrive now
            peak = bot.PeakMegabytes;
        }

        // Per chat, the analyses each message names, in the order the messages were accepted.
        var received = bed.Api.Messages
            .Where(message => message.ChatId > 0)
            .GroupBy(message => message.ChatId)
            .ToDictionary(chat => chat.Key, chat => chat.OrderBy(message => message.At).Select(message => Named(message.Text ?? message.Caption ?? "")).ToList());
        var englishInOrder = english.Count(chat => received.TryGetValue(chat, out var messages)
            && messages.Count == English.Length && messages.Select(named => named.SingleOrDefault()).SequenceEqual(English));
        var russianDigests = russian.Count(chat => received.TryGetValue(chat, out var messages)
            && messages.Count == 1 && messages[0].SequenceEqual(Russian));
        var subscriberMessages = received.Values.Sum(messages => messages.Count);
        var channel = bed.Api.Messages.Where(message => message.ChatId <= 0).Select(message => LoadBed.AnalysisOf(message)).ToList();

        var write = new FigureWriter(output);
        write.Line("scenario", $"fairness: {English.Length} analyses for {english.Count} English subscribers and {Russian.Length} for {russian.Count} Russian ones, all recorded together; Delivery__DigestThreshold=5, {options.Rate}/s");
        write.Line("english", $"{englishInOrder} of {english.Count} got analyses {string.Join(", ", English)} as {English.Length} messages in publication order");
        write.Line("russian", $"{russianDigests} of {russian.Count} got one digest listing analyses {Russian[0]} to {Russian[^1]} in publication order");
        write.Line("messages", $"{subscriberMessages} to subscribers ({english.Count * English.Length + russian.Count} expected); channel got {channel.Count} posts, in order: {(channel.SequenceEqual(English.Concat(Russian)) ? "yes" : "no")}");
        write.Line("429s", $"{bed.Api.FloodRefusals.Count}");
        write.Line("peak memory", $"{peak:F0} MB resident (VmHWM of the atlas-bot process)");
        write.Line("wall time", $"{wall.Elapsed.TotalSeconds:F1} s{(complete ? "" : $" (gave up: nothing new arrived for {Patience.TotalSeconds:F0} s)")}");
        write.Line("reproduce", $"{options.Command}");
        return complete && englishInOrder == english.Count && russianDigests == russian.Count
            && subscriberMessages == english.Count * English.Length + russian.Count ? 0 : 1;
    }

    /// <summary>Every analysis a message names ("Load test analysis N"), in the order it names them.</summary>
    private static List<int> Named(string text) =>
        [.. AnalysisTitle().Matches(text).Select(match => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"Load test analysis (\d+)")]
    private static partial Regex AnalysisTitle();
}
