using Atlas.Bot.Cli;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests;

/// <summary>Slots in a folder, locked by the processes alive: a dead process's identity goes to the next one to start.</summary>
public sealed class ReplicaIdentityTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void A_process_started_after_one_that_died_knows_it_as_its_predecessor_and_a_live_one_never_is()
    {
        using var first = ReplicaIdentity.Claim(_folder.Path);
        var second = ReplicaIdentity.Claim(_folder.Path);
        using var third = ReplicaIdentity.Claim(_folder.Path);
        Assert.Equal((null, null, null), (first.Predecessor, second.Predecessor, third.Predecessor));
        Assert.Equal(3, new[] { first.Id, second.Id, third.Id }.Distinct().Count());

        // The second dies: the operating system drops its lock.
        second.Dispose();
        using var restarted = ReplicaIdentity.Claim(_folder.Path);
        using var another = ReplicaIdentity.Claim(_folder.Path);

        Assert.Equal(second.Id, restarted.Predecessor);
        Assert.NotEqual(second.Id, restarted.Id);
        Assert.Null(another.Predecessor);
    }

    [Fact]
    public void Without_a_usable_folder_an_identity_has_no_predecessor()
    {
        var file = Path.Combine(_folder.Path, "not-a-folder");
        File.WriteAllText(file, "");

        using var identity = ReplicaIdentity.Claim(file);

        Assert.Null(identity.Predecessor);
        Assert.StartsWith(Environment.MachineName + "/" + Environment.ProcessId + "/", identity.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_claims_work_under_the_identity_its_leases_carry()
    {
        var config = Path.Combine(_folder.Path, "appsettings.json");
        await File.WriteAllTextAsync(config, "{}");
        var settings = new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = "123456:ABC-def_ghi",
            ["Telegram:ApiBaseUrl"] = "http://127.0.0.1:9",
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(_folder.Path, "atlas-bot.db")}",
            ["Urls"] = "http://127.0.0.1:0",
            ["Feeds:0:Id"] = "atlas-en",
            ["Feeds:0:Url"] = "https://atlas.az/en/feed",
            ["Feeds:0:Language"] = "en",
            ["Feeds:0:Channels:0"] = "@atlas_center_en",
        };

        await using var app = RunVerb.Build(new Invocation(Verb.Run, ConfigPath: config), settings, out var problems);

        Assert.True(app is not null, "configuration problems: " + string.Join("; ", problems));
        Assert.Equal(app.Services.GetRequiredService<ReplicaIdentity>().Id, app.Services.GetRequiredService<Store>().ClaimantId);
    }

    public void Dispose() => _folder.Dispose();
}
