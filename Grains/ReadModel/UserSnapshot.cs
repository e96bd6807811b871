using Learning.Access;
using Learning.Accounts;
using Learning.Devices;
using Learning.Playback;

namespace Learning.ReadModel;

/// <summary>
/// What operators may query about one user, taken from the grain's state after a stored change.
/// <see cref="Version"/> grows with every stored change, so an older snapshot never overwrites a newer one.
/// </summary>
public sealed record UserSnapshot(
    Guid UserId,
    long Version,
    string Email,
    string FullName,
    Role Role,
    DateTimeOffset CreatedAt,
    IReadOnlyList<Device> Devices,
    IReadOnlyList<PlaybackSession> Sessions)
{
    /// <summary>The subscription and grants, for the subscriptions listing and the grants table.</summary>
    public AccessState Access { get; init; } = AccessState.None;
}
