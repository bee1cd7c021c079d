using Atlas.Bot.Posts;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Bot.Tests.Stats;

public sealed class TrackedLinksTests : DatabaseTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);

    [Fact]
    public async Task A_known_code_is_read_from_the_database_once_and_then_from_memory()
    {
        var code = await RecordAsync("https://atlas.az/en/analysis-1/");
        var links = Links();

        var first = await links.FindAsync(code, CancellationToken.None);
        await Database.CountAsync("DELETE FROM links;");
        var second = await links.FindAsync(code, CancellationToken.None);

        Assert.Equal(LinkState.Found, first.State);
        Assert.Equal(new Uri("https://atlas.az/en/analysis-1/"), first.Link?.Article);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task An_unknown_code_is_remembered_for_a_minute()
    {
        var code = await RecordAsync("https://atlas.az/en/analysis-1/");
        await Database.CountAsync($"UPDATE links SET code = 'later00000' WHERE code = '{code}';");
        var links = Links();

        Assert.Equal(LinkState.Unknown, (await links.FindAsync(code, CancellationToken.None)).State);
        await Database.CountAsync($"UPDATE links SET code = '{code}';");
        Assert.Equal(LinkState.Unknown, (await links.FindAsync(code, CancellationToken.None)).State);

        _time.Advance(TrackedLinks.UnknownFor);
        Assert.Equal(LinkState.Found, (await links.FindAsync(code, CancellationToken.None)).State);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("javascript:alert(1)")]
    [InlineData("/en/analysis-1/")]
    [InlineData("ftp://atlas.az/en/analysis-1/")]
    public async Task An_item_without_an_http_link_leads_nowhere(string? link)
    {
        var code = await RecordAsync(link);

        Assert.Equal(LinkState.Unknown, (await Links().FindAsync(code, CancellationToken.None)).State);
    }

    private TrackedLinks Links() => new(Store, _time, NullLogger<TrackedLinks>.Instance);

    private async Task<string> RecordAsync(string? link)
    {
        await Store.RecordItemAsync(
            new ItemRecord("en", "item-1", "Analysis 1", link, Now, null, "en"),
            Post.Text("Analysis 1"),
            channels: [],
            Now,
            CancellationToken.None);
        await using var connection = new SqliteConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT code FROM links;";
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
