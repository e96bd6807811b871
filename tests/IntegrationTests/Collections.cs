using Learning.TestSupport;

namespace Learning.IntegrationTests;

// xUnit finds collection definitions only in the test assembly itself.

[CollectionDefinition(Name)]
public sealed class PostgresApiCollection : ICollectionFixture<SharedPostgresApiFactory>
{
    public const string Name = "postgres-api";
}
