using System.Text.RegularExpressions;
using Atlas.Bot.Delivery;
using Atlas.Bot.Tests.Cli;

namespace Atlas.Bot.Tests.Storage;

/// <summary>
/// Storage keeps SQL and only SQL: the rules of the features (who gets what, in which order) come in as parameters,
/// and no other folder knows which database it talks to. Read from the sources, so a regression fails here by name.
/// </summary>
public sealed partial class StorageShapeTests
{
    private static readonly string Source = Path.Combine(AtlasBotProcess.RepositoryRoot, "src", "Atlas.Bot");

    /// <summary>Released migrations are history: they keep the words they were written with.</summary>
    private static IEnumerable<(string File, string Text)> StorageFiles() =>
        Directory.EnumerateFiles(Path.Combine(Source, "Storage"), "*.cs")
            .Where(file => Path.GetFileName(file) != "Migrations.cs")
            .Select(file => (Path.GetFileName(file), File.ReadAllText(file)));

    [Fact]
    public void Storage_uses_no_feature_but_the_shape_of_a_post()
    {
        var uses = StorageFiles()
            .SelectMany(file => UsingAtlas().Matches(file.Text).Select(match => $"{file.File}: {match.Groups[1].Value}"))
            .Where(use => !use.EndsWith(": Posts", StringComparison.Ordinal));

        Assert.Empty(uses);
    }

    [Fact]
    public void Storage_names_no_delivery_target_or_priority_of_its_own()
    {
        var written = StorageFiles()
            .SelectMany(file => DeliveryTargets.All.SelectMany(target => new[] { $"target = '{target}'", $"'{target}', " }
                .Where(form => file.Text.Contains(form, StringComparison.Ordinal))
                .Select(form => $"{file.File}: {form}")));

        Assert.Empty(written);
    }

    [Fact]
    public void Only_storage_knows_which_database_it_talks_to()
    {
        var outside = Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.StartsWith(Path.Combine(Source, "Storage"), StringComparison.Ordinal))
            .Where(file => DatabaseClient().IsMatch(File.ReadAllText(file)))
            .Select(file => Path.GetRelativePath(Source, file));

        Assert.Empty(outside);
    }

    [GeneratedRegex(@"^using Atlas\.Bot\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingAtlas();

    [GeneratedRegex(@"^using (Microsoft\.Data\.Sqlite|Npgsql)\b|\b(SqliteException|NpgsqlException|PostgresException)\b", RegexOptions.Multiline)]
    private static partial Regex DatabaseClient();
}
