namespace Learning.TestSupport;

/// <summary>The API with two active devices allowed and one stream, so that stream conflicts between devices can happen.</summary>
public sealed class TwoDevicesApiFactory : LearningApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Limits:MaxActiveDevices", "2"),
        new("Limits:MaxConcurrentStreams", "1"),
    ];
}
