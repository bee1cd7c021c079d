using Npgsql;
using Xunit.Abstractions;

namespace Atlas.Bot.Tests.Storage;

public sealed class PostgresServerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_throwaway_cluster_answers_on_loopback_and_gives_each_caller_a_database_of_its_own()
    {
        var first = await PostgresServer.CreateDatabaseAsync();
        var second = await PostgresServer.CreateDatabaseAsync();
        output.WriteLine($"PostgreSQL test cluster started in {(await PostgresServer.InstanceAsync()).StartedIn.TotalSeconds:0.0} s");

        await ExecuteAsync(first, "CREATE TABLE mine (id BIGINT PRIMARY KEY); INSERT INTO mine VALUES (1);");

        Assert.Equal("15", (await ScalarAsync(first, "SHOW server_version_num"))?.ToString()?[..2]);
        Assert.Equal(1L, await ScalarAsync(first, "SELECT COUNT(*) FROM mine"));
        Assert.Equal(0L, await ScalarAsync(second, "SELECT COUNT(*) FROM pg_tables WHERE tablename = 'mine'"));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
