using Npgsql;

namespace Learning.Persistence;

/// <summary>
/// <c>ConnectionStrings:Postgres</c> checked before anything opens it: Npgsql would otherwise fail later, deep in a
/// start-up stack trace that never names the setting.
/// </summary>
public static class PostgresConnectionString
{
    public const string Setting = "ConnectionStrings:Postgres";

    public static IEnumerable<string> Problems(string? connectionString)
    {
        if (connectionString is null)
        {
            return [];
        }

        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException)
        {
            // The message, not the value: a connection string may hold a password.
            return [$"{Setting} is not a valid Npgsql connection string ({exception.Message}); expected e.g. Host=db;Username=learning;Database=learning."];
        }

        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(parsed.Host))
        {
            problems.Add($"{Setting} names no server: add Host=NAME.");
        }

        if (string.IsNullOrWhiteSpace(parsed.Database))
        {
            problems.Add($"{Setting} names no database: add Database=NAME.");
        }

        return problems;
    }
}
