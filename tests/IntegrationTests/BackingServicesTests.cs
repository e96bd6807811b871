using Learning.TestSupport;
using Npgsql;
using StackExchange.Redis;

namespace Learning.IntegrationTests;

/// <summary>The servers later features persist to are up and reachable from the tests.</summary>
public sealed class BackingServicesTests
{
    [Fact]
    public async Task PostgreSQL_answers_queries()
    {
        await using var connection = new NpgsqlConnection(BackingServices.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select current_setting('server_version_num')::int", connection);
        Assert.True((int)(await command.ExecuteScalarAsync())! >= 150000);
    }

    [Fact]
    public async Task Redis_answers_commands()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(BackingServices.Redis);
        var key = $"smoke:{Guid.NewGuid():N}";
        await redis.GetDatabase().StringSetAsync(key, "ok", TimeSpan.FromMinutes(1));
        Assert.Equal("ok", (string?)await redis.GetDatabase().StringGetAsync(key));
    }
}
