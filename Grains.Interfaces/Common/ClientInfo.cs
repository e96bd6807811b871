namespace Learning.Common;

/// <summary>Where a request came from, recorded on every audit entry.</summary>
[GenerateSerializer, Immutable, Alias("client-info")]
public sealed record ClientInfo([property: Id(0)] string? IpAddress, [property: Id(1)] string? UserAgent)
{
    public static readonly ClientInfo Internal = new(null, "internal");
}

/// <summary>
/// An authenticated caller as the access token describes it. <see cref="FamilyId"/> is the token's <c>sid</c>:
/// the user's grain refuses it once that refresh family is revoked.
/// </summary>
[GenerateSerializer, Immutable, Alias("caller")]
public sealed record Caller(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] Guid FamilyId,
    [property: Id(2)] ClientInfo Client);
