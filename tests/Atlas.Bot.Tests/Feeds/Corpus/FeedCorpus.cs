using System.Text.Json;
using Atlas.Bot.Feeds;
using Atlas.Bot.Tests.Cli;

namespace Atlas.Bot.Tests.Feeds.Corpus;

/// <summary>
/// The shared conformance corpus (feed files from gofeed, feedparser and FeedReader with their own
/// expectations). It lives beside the repository, at ../shared/feed-corpus, and is never copied in.
/// </summary>
internal sealed class FeedCorpus
{
    private FeedCorpus(string root) => Root = root;

    public string Root { get; }

    /// <summary>
    /// The corpus beside the repository (../shared/feed-corpus, or shared/feed-corpus beside an ancestor for a
    /// worktree nested deeper); fails the calling test, naming the folders it looked in, when it is not there.
    /// CI always has it, so a missing corpus is a broken checkout, never a reason to skip the conformance checks.
    /// </summary>
    public static FeedCorpus Open()
    {
        var candidates = new List<string>();
        for (var up = new DirectoryInfo(AtlasBotProcess.RepositoryRoot).Parent; up is not null; up = up.Parent)
        {
            var candidate = Path.Combine(up.FullName, "shared", "feed-corpus");
            if (File.Exists(Path.Combine(candidate, "manifest.json")) && File.Exists(Path.Combine(candidate, "dates.json")))
            {
                return new FeedCorpus(candidate);
            }

            candidates.Add(candidate);
        }

        Assert.Fail(
            $"the feed conformance corpus is missing: expected {candidates[0]} (../shared/feed-corpus beside the repository, "
            + $"with manifest.json and dates.json); also looked in {string.Join(", ", candidates.Skip(1))}. "
            + "CI always has it: put the corpus there rather than skipping these checks.");
        return null!;
    }

    public IReadOnlyList<CorpusCase> Cases()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "manifest.json")));
        return manifest.RootElement.EnumerateArray().Select(CorpusCase.From).ToList();
    }

    /// <summary>The case's file read as the service reads a fetched body: decoded with its charset, parsed in Baku time.</summary>
    public FeedParseResult Parse(CorpusCase testCase) =>
        FeedParser.Parse(FeedDecoder.Decode(File.ReadAllBytes(Path.Combine(Root, testCase.File)), testCase.Charset), testCase.BaseUri, FeedFixtures.Baku);

    public IReadOnlyList<DateCase> Dates()
    {
        using var dates = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "dates.json")));
        return dates.RootElement.EnumerateArray()
            .Select(d => new DateCase(
                d.GetProperty("input").GetString()!,
                d.GetProperty("expected_utc").ValueKind == JsonValueKind.Null ? null : DateTimeOffset.Parse(d.GetProperty("expected_utc").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                d.TryGetProperty("note", out var note) ? note.GetString() ?? "" : ""))
            .ToList();
    }
}

internal sealed record DateCase(string Input, DateTimeOffset? ExpectedUtc, string Note);

/// <summary>One manifest entry: the file, how it was served, and the values the peer suite asserts.</summary>
internal sealed record CorpusCase(string File, string? Charset, Uri? BaseUri, IReadOnlyDictionary<string, JsonElement> Expected)
{
    public static CorpusCase From(JsonElement entry)
    {
        string? charset = null;
        Uri? baseUri = null;
        if (entry.TryGetProperty("fetch", out var fetch))
        {
            var headers = fetch.TryGetProperty("headers", out var h) ? h.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.OrdinalIgnoreCase) : [];
            charset = headers.GetValueOrDefault("Content-Type") is { } contentType ? CharsetOf(contentType) : null;
            var location = headers.GetValueOrDefault("Content-Location") ?? (fetch.TryGetProperty("url", out var url) ? url.GetString() : null);
            baseUri = location is null ? null : new Uri(location);
        }
        var expected = entry.GetProperty("expected").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        return new CorpusCase(entry.GetProperty("file").GetString()!, charset, baseUri, expected);
    }

    private static string? CharsetOf(string contentType) =>
        contentType.Split(';').Select(p => p.Trim())
            .FirstOrDefault(p => p.StartsWith("charset=", StringComparison.OrdinalIgnoreCase))?["charset=".Length..].Trim('"');
}
