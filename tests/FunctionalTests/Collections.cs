using Learning.TestSupport;

namespace Learning.FunctionalTests;

// xUnit finds collection definitions only in the test assembly itself, so the shared fixtures are named here.

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
