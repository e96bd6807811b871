namespace Learning.TestSupport;

/// <summary>The embedded API with grain state and the read model in the given PostgreSQL database.</summary>
public class PostgresApiFactory(string connectionString) : LearningApiFactory
{
    public string ConnectionString { get; } = connectionString;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("ConnectionStrings:Postgres", ConnectionString)];
}

/// <summary>A <see cref="PostgresApiFactory"/> on a fresh database, shared by a test collection.</summary>
public sealed class SharedPostgresApiFactory() : PostgresApiFactory(PostgresDatabase.CreateAsync(migrate: false).GetAwaiter().GetResult());
