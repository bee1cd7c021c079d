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

    public void Dispose() => _folder.Dispose();
}
