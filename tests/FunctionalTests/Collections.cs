using Learning.FunctionalTests.Hardening;
using Learning.TestSupport;

namespace Learning.FunctionalTests;

// xUnit finds collection definitions only in the test assembly itself, so the shared fixtures are named here.
// A host (an API with its co-hosted silo) costs about a CPU-second to start and stop: a test class that needs no
// settings of its own joins one of these collections rather than starting its own (IClassFixture) or a fresh
// factory per test. Tests in one collection run one at a time and share the host's clock and storage, so each test
// makes its own users (ApiClient.NewEmail) and addresses, and never assumes a state the host started with.

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<LearningApiFactory>
{
    public const string Name = "api";
}

[CollectionDefinition(Name)]
public sealed class TwoDevicesCollection : ICollectionFixture<TwoDevicesApiFactory>
{
    public const string Name = "two-devices";
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

/// <summary>
/// A second plain API host, for long tests (hundreds of requests, or runs paced by real time) that would hold up
/// <see cref="ApiCollection"/>: they run beside it, one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LongRunCollection : ICollectionFixture<LearningApiFactory>
{
    public const string Name = "long-runs";
}

/// <summary>Rate limiting on with small quotas and hour-long windows; every test meters a client address of its own.</summary>
[CollectionDefinition(Name)]
public sealed class SmallQuotasCollection : ICollectionFixture<RateLimitTests.SmallQuotasFactory>
{
    public const string Name = "small-quotas";
}

/// <summary>Short access tokens and sessions, a refresh reuse grace and family lifetime, rotated signing keys.</summary>
[CollectionDefinition(Name)]
public sealed class TokenPolicyCollection : ICollectionFixture<TokenPolicyApiFactory>
{
    public const string Name = "token-policies";
}

/// <summary>Two plain hosts side by side, as <c>dotnet run --project Api</c> starts them: no ports configured.</summary>
[CollectionDefinition(Name)]
public sealed class EmbeddedHostsCollection : ICollectionFixture<EmbeddedHosts>
{
    public const string Name = "embedded-hosts";
}

/// <summary>Metrics on an internal host for admins only, and a trusted reverse proxy (see <see cref="EdgeApiFactory"/>).</summary>
[CollectionDefinition(Name)]
public sealed class EdgeCollection : ICollectionFixture<EdgeApiFactory>
{
    public const string Name = "edge";
}
