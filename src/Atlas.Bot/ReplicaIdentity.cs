using System.Security.Cryptography;

namespace Atlas.Bot;

/// <summary>
/// Who this process is among the replicas that share one database: written as the holder of leases, shown in logs.
/// Host name and process id say where to look; the random part tells a restarted process (a container's pid is often
/// the same after a restart) from the one before it, whose leases it must not inherit.
/// </summary>
public sealed record ReplicaIdentity(string Id)
{
    public static ReplicaIdentity ForThisProcess() =>
        new($"{Environment.MachineName}/{Environment.ProcessId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");

    public override string ToString() => Id;
}
