using System.Text.RegularExpressions;
using Atlas.Bot.Tests.Cli;

namespace Atlas.Bot.Tests;

/// <summary>Log collectors key on event ids: every [LoggerMessage] in the bot has one, and no two share it.</summary>
public sealed partial class LoggingTests
{
    [Fact]
    public void Every_log_event_of_the_bot_has_its_own_stable_id()
    {
        var source = Path.Combine(AtlasBotProcess.RepositoryRoot, "src", "Atlas.Bot");
        var messages = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => LoggerMessage().Matches(File.ReadAllText(file)).Select(match => (File: Path.GetFileName(file), Attribute: match.Value)))
            .ToList();

        var ids = messages.Select(m => EventId().Match(m.Attribute)).ToList();

        Assert.True(messages.Count > 50, $"only {messages.Count} log messages found");
        Assert.All(messages.Zip(ids), pair => Assert.True(pair.Second.Success, $"{pair.First.File}: {pair.First.Attribute} has no EventId"));
        var duplicates = ids.GroupBy(id => id.Groups[1].Value).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        Assert.True(duplicates.Count == 0, "event ids used twice: " + string.Join(", ", duplicates));
    }

    [GeneratedRegex(@"\[LoggerMessage\([^\]]*\)\]")]
    private static partial Regex LoggerMessage();

    [GeneratedRegex(@"EventId = (\d+)")]
    private static partial Regex EventId();
}
