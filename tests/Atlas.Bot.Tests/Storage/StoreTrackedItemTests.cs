using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests.Storage;

/// <summary>The public redirect finds an analysis by its code alone, through the key; /stats also by the article's link.</summary>
public abstract class StoreTrackedItemTests(Provider provider) : DatabaseTest(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_redirects_lookup_takes_a_code_and_nothing_else()
    {
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), ["@atlas_az"], Now, CancellationToken.None);
        var code = (await Database.ListAsync("SELECT code FROM links")).Single();

        Assert.Equal(code, (await Store.FindTrackedItemByCodeAsync(code, CancellationToken.None))?.Code);
        Assert.Null(await Store.FindTrackedItemByCodeAsync("https://atlas.az/a", CancellationToken.None));
        Assert.Equal(code, (await Store.FindTrackedItemByCodeOrLinkAsync("https://atlas.az/a", CancellationToken.None))?.Code);
    }
}

public sealed class StoreTrackedItemTests_Sqlite() : StoreTrackedItemTests(Provider.Sqlite);

public sealed class StoreTrackedItemTests_Postgres() : StoreTrackedItemTests(Provider.Postgres);
