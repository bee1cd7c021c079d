using System.Text.Encodings.Web;
using System.Text.Json;
using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;

namespace Atlas.Bot.Cli;

/// <summary>
/// <c>atlas-bot preview</c>: one feed through the service's own fetch, decode, parse and format, storing
/// and sending nothing. Items go to standard output in document order; logs go to standard error.
/// </summary>
public static class PreviewVerb
{
    private static readonly JsonSerializerOptions JsonLines = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static async Task<int> RunAsync(Invocation invocation, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (!FeedsOptionsValidator.Languages.Contains(invocation.Language))
        {
            await error.WriteLineAsync($"preview: --language must be az, en or ru, not '{invocation.Language}'");
            return 1;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(invocation.TimeZone, out var zone))
        {
            await error.WriteLineAsync($"preview: unknown time zone '{invocation.TimeZone}'");
            return 1;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging(logging => logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddFeedFetcher();
        services.AddSingleton<FeedSource>();
        await using var provider = services.BuildServiceProvider();

        var target = invocation.Target!;
        var url = new FeedUrls(Directory.GetCurrentDirectory()).Resolve(target);
        var read = await provider.GetRequiredService<FeedSource>().ReadAsync(url, previous: null, zone, ct);
        if (read is not FeedReadResult.Parsed parsed)
        {
            await error.WriteLineAsync($"preview: cannot read {target}: {(read as FeedReadResult.Failed)?.Reason ?? "no content"}");
            return 1;
        }

        foreach (var warning in parsed.Feed.Warnings)
        {
            await error.WriteLineAsync($"preview: warning: {warning}");
        }

        foreach (var item in parsed.Feed.Items)
        {
            var post = PostFormatter.Format(item, invocation.Language, zone);
            await output.WriteAsync(invocation.Json ? JsonLine(item, post) : DryRunSender.Render(target, new OutgoingMessage(post)));
        }

        await output.FlushAsync(ct);
        return 0;
    }

    private static string JsonLine(FeedItem item, Post post) =>
        JsonSerializer.Serialize(
            new
            {
                id = item.Id,
                title = item.Title,
                link = item.Link,
                published = item.Published?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                author = item.Author,
                image = item.ImageUrl,
                summary = TelegramHtml.ToPlainText(item.SummaryHtml ?? item.ContentHtml ?? ""),
                // What the post shows as it is sent first: the caption under its photo, else the text.
                html = post is { PhotoUrl: not null, CaptionHtml: { } caption } ? caption : post.TextHtml,
            },
            JsonLines) + "\n";
}
