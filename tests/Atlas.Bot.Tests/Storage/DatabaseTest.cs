using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests.Storage;

/// <summary>A test class on a real SQLite file: xUnit makes an instance per test, so each test gets a fresh, migrated database.</summary>
public abstract class DatabaseTest : IAsyncLifetime
{
    protected TempDatabase Database { get; private set; } = null!;

    protected Store Store => Database.Store;

    public async Task InitializeAsync() => Database = await TempDatabase.CreateAsync();

    public async Task DisposeAsync() => await Database.DisposeAsync();

    /// <summary>An item of the feed "feed", keyed and titled by <paramref name="key"/>, its link https://atlas.az/{key}.</summary>
    protected static ItemRecord SampleItem(string key, DateTimeOffset published) =>
        new("feed", key, "Title " + key, "https://atlas.az/" + key, published, "Author", "az");

    protected static StoredPost SamplePost(string text) => new(text, null, null, "Oxu", "https://atlas.az/");
}
