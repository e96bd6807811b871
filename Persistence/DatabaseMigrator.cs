using DbUp;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Learning.Persistence;

/// <summary>
/// Applies the versioned scripts in <c>Migrations/</c> (Orleans' storage tables and queries, then the read model)
/// once each, journaled in <c>schema_versions</c>. Silos starting together take turns through a PostgreSQL
/// advisory lock, so each script runs exactly once however many start at the same moment.
/// </summary>
public static class DatabaseMigrator
{
    // Any fixed number works; it only has to be the same in every process that migrates this database.
    private const long MigrationLockKey = 0x4C_65_61_72_6E_69_6E_67;

    public static async Task MigrateAsync(string connectionString, ILogger logger, CancellationToken cancellationToken = default)
    {
        EnsureDatabase.For.PostgresqlDatabase(connectionString, new UpgradeLog(logger));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(@key)", cancellationToken);
        try
        {
            var result = DeployChanges.To.PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly)
                .WithTransactionPerScript()
                .WithVariablesDisabled()
                .JournalToPostgresqlTable("public", "schema_versions")
                .LogTo(new UpgradeLog(logger))
                .Build()
                .PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Database migration {result.ErrorScript?.Name} failed: {result.Error?.Message}", result.Error);
            }
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", MigrationLockKey);
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed class UpgradeLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace(format, args);

        public void LogDebug(string format, params object[] args) => logger.LogDebug(format, args);

        public void LogInformation(string format, params object[] args) => logger.LogInformation(format, args);

        public void LogWarning(string format, params object[] args) => logger.LogWarning(format, args);

        public void LogError(string format, params object[] args) => logger.LogError(format, args);

        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, format, args);
    }
}
