using System.Security.Cryptography;

namespace Atlas.Bot;

/// <summary>
/// Who this process is among the replicas that share one database: written as the holder of leases and of claims (the
/// store is given it), shown in logs.
/// Host name and process id say where to look; the random part tells a restarted process (a container's pid is often
/// the same after a restart) from the one before it.
/// </summary>
/// <remarks>
/// A process restarted after a crash on the same host (a container restarted in place, a service restarted by its
/// supervisor) knows its <see cref="Predecessor"/>: the identity last written to a slot file that no live process holds
/// locked. The lock is the operating system's and dies with its process, so a predecessor is always a dead process, and
/// its leases can be taken, and its claims released, at once instead of after they run out.
/// </remarks>
public sealed class ReplicaIdentity : IDisposable
{
    /// <summary>Where the slots live: per host (or per container), not per database.</summary>
    public static readonly string SlotFolder = Path.Combine(Path.GetTempPath(), "atlas-bot-replicas");

    /// <summary>More processes than this on one host still run; the rest simply have no predecessor.</summary>
    private const int Slots = 16;

    private readonly FileStream? _slot;

    private ReplicaIdentity(string id, string? predecessor, FileStream? slot)
    {
        Id = id;
        Predecessor = predecessor;
        _slot = slot;
    }

    public string Id { get; }

    /// <summary>The identity of a dead process of this host that ran in the same slot, if any.</summary>
    public string? Predecessor { get; }

    /// <summary>A new identity, with no predecessor.</summary>
    public static ReplicaIdentity ForThisProcess() => new(NewId(), null, null);

    /// <summary>
    /// A new identity that takes the first slot in <paramref name="folder"/> no live process holds, and with it the
    /// identity last written there as <see cref="Predecessor"/>. The slot stays locked until this is disposed (or the
    /// process ends). Without a usable folder: an identity with no predecessor.
    /// </summary>
    public static ReplicaIdentity Claim(string folder)
    {
        var id = NewId();
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new(id, null, null);
        }

        for (var slot = 0; slot < Slots; slot++)
        {
            FileStream file;
            try
            {
                // FileShare.None takes an exclusive lock (flock on Unix): held by a live process, the slot is skipped.
                file = new FileStream(Path.Combine(folder, $"slot-{slot}"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            string predecessor;
            using (var reader = new StreamReader(file, leaveOpen: true))
            {
                predecessor = reader.ReadToEnd().Trim();
            }

            file.SetLength(0);
            file.Position = 0;
            using (var writer = new StreamWriter(file, leaveOpen: true))
            {
                writer.Write(id);
            }

            file.Flush(flushToDisk: true);
            return new(id, predecessor.Length > 0 ? predecessor : null, file);
        }

        return new(id, null, null);
    }

    public void Dispose() => _slot?.Dispose();

    public override string ToString() => Id;

    private static string NewId() =>
        $"{Environment.MachineName}/{Environment.ProcessId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
}
