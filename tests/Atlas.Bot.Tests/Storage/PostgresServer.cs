using System.Diagnostics;
using Atlas.Bot.Tests.Web;
using Npgsql;

namespace Atlas.Bot.Tests.Storage;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests: the machine's own server binaries, <c>initdb</c> into a temp folder and
/// <c>pg_ctl</c> on a free loopback port, started once per test run on first use and stopped when the run ends. Each
/// caller gets a fresh, empty database of its own. PostgreSQL refuses to run as root, so when the tests do (CI), the
/// server runs as the <c>postgres</c> user.
/// </summary>
/// <remarks>
/// Durability is switched off (fsync, synchronous_commit, full_page_writes): the cluster lives for one test run, and
/// what the tests prove (locks, SKIP LOCKED, transactions) does not depend on it. The server is stopped when the run
/// ends; its folder is deleted then or, if the test host is cut short, by the next run.
/// </remarks>
public sealed class PostgresServer
{
    private const string User = "atlas";

    /// <summary>Where the folders of this run's (and earlier, killed runs') clusters are made.</summary>
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "atlas-bot-postgres");

    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);

    private readonly string _folder;
    private readonly Tool _tools;

    private PostgresServer(string folder, Tool tools, int port, TimeSpan startedIn)
    {
        _folder = folder;
        _tools = tools;
        Port = port;
        StartedIn = startedIn;
    }

    public int Port { get; }

    /// <summary>How long initdb and the start took (reported by the fixture's own test).</summary>
    public TimeSpan StartedIn { get; }

    /// <summary>The cluster of this test run, started on first use.</summary>
    public static Task<PostgresServer> InstanceAsync() => Shared.Value;

    /// <summary>A new empty database on the run's cluster; its Npgsql connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var server = await InstanceAsync();
        var name = $"t_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server.ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return server.ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = User, Database = database }.ConnectionString;

    private static async Task<PostgresServer> StartAsync()
    {
        var tools = Tool.Find();
        StopClustersOfEndedRuns(tools);
        var started = Stopwatch.StartNew();
        var folder = Path.Combine(Root, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        await tools.OwnAsync(folder);
        await tools.RunAsync("initdb", "-D", Data(folder), "-U", User, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions");

        // A free port can be taken between asking and listening: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPort.Free();
            var options = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " +
                          "-c full_page_writes=off -c max_connections=300 -c shared_buffers=64MB";
            var (exit, output) = await tools.TryRunAsync("pg_ctl", "start", "-D", Data(folder), "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o", options);
            if (exit == 0)
            {
                var server = new PostgresServer(folder, tools, port, started.Elapsed);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
                return server;
            }

            if (attempt == 3)
            {
                var log = File.Exists(Path.Combine(folder, "server.log")) ? await File.ReadAllTextAsync(Path.Combine(folder, "server.log")) : "";
                throw new InvalidOperationException($"pg_ctl start failed three times (exit {exit}): {output}\n{log}");
            }
        }
    }

    private void Stop()
    {
        _tools.TryRunAsync("pg_ctl", "stop", "-D", Data(_folder), "-m", "immediate", "-w").GetAwaiter().GetResult();
        TryDelete(_folder);
    }

    /// <summary>A test run that was killed left its cluster running: stop those whose process is gone.</summary>
    private static void StopClustersOfEndedRuns(Tool tools)
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        foreach (var folder in Directory.GetDirectories(Root))
        {
            var owner = Path.GetFileName(folder).Split('-')[0];
            if (int.TryParse(owner, out var pid) && !Alive(pid))
            {
                if (File.Exists(Path.Combine(Data(folder), "postmaster.pid")))
                {
                    tools.TryRunAsync("pg_ctl", "stop", "-D", Data(folder), "-m", "immediate", "-w").GetAwaiter().GetResult();
                }

                TryDelete(folder);
            }
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The OS cleans its temp folder; a later run stops and deletes what is left.
        }
    }

    private static string Data(string folder) => Path.Combine(folder, "data");

    /// <summary>The server binaries, and how to run them: as <c>postgres</c> when this process is root.</summary>
    private sealed record Tool(string Bin, bool AsPostgres)
    {
        public static Tool Find()
        {
            var bin = Environment.GetEnvironmentVariable("ATLAS_BOT_PG_BIN") is { Length: > 0 } configured
                ? configured
                : Directory.Exists("/usr/lib/postgresql")
                    ? Directory.GetDirectories("/usr/lib/postgresql")
                        .Select(version => Path.Combine(version, "bin"))
                        .Where(folder => File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl")))
                        .OrderByDescending(folder => int.TryParse(Path.GetFileName(Path.GetDirectoryName(folder)), out var major) ? major : 0)
                        .FirstOrDefault()
                    : null;
            bin ??= (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').FirstOrDefault(folder => File.Exists(Path.Combine(folder, "initdb")));
            if (bin is null || !File.Exists(Path.Combine(bin, "initdb")) || !File.Exists(Path.Combine(bin, "pg_ctl")))
            {
                throw new InvalidOperationException(
                    "The PostgreSQL tests need the PostgreSQL 15 server binaries (initdb, pg_ctl), found neither in " +
                    "/usr/lib/postgresql/<version>/bin nor on PATH. Install Debian's package: apt-get install postgresql-15 " +
                    "(or set ATLAS_BOT_PG_BIN to the folder that holds initdb and pg_ctl).");
            }

            return new Tool(bin, Environment.IsPrivilegedProcess);
        }

        /// <summary>Gives <paramref name="folder"/> to the user the server runs as.</summary>
        public async Task OwnAsync(string folder)
        {
            if (AsPostgres)
            {
                await RunProgramAsync("chown", "postgres:postgres", Root, folder);
            }
        }

        public async Task RunAsync(string tool, params string[] arguments)
        {
            var (exit, output) = await TryRunAsync(tool, arguments);
            if (exit != 0)
            {
                throw new InvalidOperationException($"{tool} failed (exit {exit}): {output}");
            }
        }

        public Task<(int Exit, string Output)> TryRunAsync(string tool, params string[] arguments) =>
            AsPostgres
                ? TryRunProgramAsync("runuser", ["-u", "postgres", "--", Path.Combine(Bin, tool), .. arguments])
                : TryRunProgramAsync(Path.Combine(Bin, tool), arguments);

        private static async Task RunProgramAsync(string program, params string[] arguments)
        {
            var (exit, output) = await TryRunProgramAsync(program, arguments);
            if (exit != 0)
            {
                throw new InvalidOperationException($"{program} failed (exit {exit}): {output}");
            }
        }

        private static async Task<(int Exit, string Output)> TryRunProgramAsync(string program, string[] arguments)
        {
            var start = new ProcessStartInfo(program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                // The server would otherwise inherit the test host's working folder, which the postgres user may not read.
                WorkingDirectory = Path.GetTempPath(),
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            // pg_ctl's server keeps the output pipes open: read them only until pg_ctl itself exits.
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var text = await Task.WhenAny(Task.WhenAll(output, error), Task.Delay(TimeSpan.FromSeconds(2))) is Task<string[]> both
                ? string.Join("\n", both.Result)
                : "";
            return (process.ExitCode, text.Trim());
        }
    }
}
