using Learning.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Learning.TestSupport;

/// <summary>A fresh database on the test PostgreSQL server, so test classes never see each other's rows.</summary>
public static class PostgresDatabase
{
    public static async Task<string> CreateAsync(bool migrate = true)
    {
        var server = new NpgsqlConnectionStringBuilder(BackingServices.Postgres);
        var name = $"learning_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        server.Database = name;
        if (migrate)
        {
            await DatabaseMigrator.MigrateAsync(server.ConnectionString, NullLogger.Instance);
        }

        return server.ConnectionString;
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}
