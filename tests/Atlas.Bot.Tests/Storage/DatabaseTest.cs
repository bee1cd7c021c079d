using Atlas.Bot.Posts;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests.Storage;

/// <summary>
/// A test class on a real database: xUnit makes an instance per test, so each test gets a fresh, migrated database.
/// SQLite unless a subclass names the provider (the storage tests run on both: an abstract class, a subclass per provider).
/// </summary>
public abstract class DatabaseTest(Provider provider = Provider.Sqlite) : IAsyncLifetime
{
    /// <summary>Each provider, for a test that makes its own databases (xUnit's MemberData).</summary>
    public static TheoryData<Provider> Providers => [Provider.Sqlite, Provider.Postgres];

    protected TempDatabase Database { get; private set; } = null!;

    protected Store Store => Database.Store;

    public async Task InitializeAsync() => Database = await TempDatabase.CreateAsync(provider);

    public async Task DisposeAsync() => await Database.DisposeAsync();

    /// <summary>An item of the feed "feed", keyed and titled by <paramref name="key"/>, its link https://atlas.az/{key}.</summary>
    protected static ItemRecord SampleItem(string key, DateTimeOffset published) =>
        new("feed", key, "Title " + key, "https://atlas.az/" + key, published, "Author", "az");

    protected static Post SamplePost(string text) => new(text, ButtonText: "Oxu", ButtonUrl: "https://atlas.az/");
}
