using Learning.TestSupport;

namespace Learning.IntegrationTests.Postgres;

/// <summary>
/// The audit and admin filter cases against the PostgreSQL read model, through the API: the same cases the in-memory
/// read model passes in FunctionalTests, so both answer every filter alike.
/// </summary>
[Collection(PostgresApiCollection.Name)]
public sealed class PostgresReadModelFilterTests(SharedPostgresApiFactory factory) : ReadModelFilterCases(factory);
