namespace Learning.IntegrationTests.Infrastructure;

/// <summary>The API with two active devices allowed and one stream, so that stream conflicts between devices can happen.</summary>
public sealed class TwoDevicesApiFactory : LearningApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Limits:MaxActiveDevices", "2"),
        new("Limits:MaxConcurrentStreams", "1"),
    ];
}

[CollectionDefinition(Name)]
public sealed class TwoDevicesCollection : ICollectionFixture<TwoDevicesApiFactory>
{
    public const string Name = "two-devices";
}
