using System.Buffers.Text;
using System.Security.Cryptography;

namespace Learning.Accounts;

/// <summary>
/// Refresh tokens are opaque to clients: 64 random-looking bytes, URL-safe base64. Inside, the first 16 bytes
/// name the user so any silo can route the token to its grain; the rest is secret. Only its hash is stored
/// (<see cref="Learning.Common.TokenHasher"/>).
/// </summary>
public static class RefreshTokenCodec
{
    private const int SecretBytes = 48;
    private const int TokenBytes = 16 + SecretBytes;

    public static string Issue(Guid userId)
    {
        Span<byte> bytes = stackalloc byte[TokenBytes];
        userId.TryWriteBytes(bytes);
        RandomNumberGenerator.Fill(bytes[16..]);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryReadUserId(string token, out Guid userId)
    {
        userId = Guid.Empty;
        Span<byte> bytes = stackalloc byte[TokenBytes];
        // IsValid first: TryDecodeFromChars throws, rather than answering false, on characters outside the alphabet.
        if (token.Length != Base64Url.GetEncodedLength(TokenBytes) || !Base64Url.IsValid(token)
            || !Base64Url.TryDecodeFromChars(token, bytes, out var written) || written != TokenBytes)
        {
            return false;
        }

        userId = new Guid(bytes[..16]);
        return true;
    }
}

/// <summary>
/// The refresh tokens descended from one login. Only the newest is usable; the ones it replaced are remembered
/// (hashed, a bounded number) so that presenting one of them is recognised as theft.
/// </summary>
[GenerateSerializer, Immutable, Alias("accounts.refresh-family")]
public sealed record RefreshFamily(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string CurrentHash,
    [property: Id(2)] DateTimeOffset CurrentExpiresAt,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] string[] RotatedHashes,
    [property: Id(5)] DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;

    /// <summary>The token the last rotation replaced; within the reuse grace a retry with it is not theft.</summary>
    [Id(6)] public string? PreviousHash { get; init; }

    /// <summary>When <see cref="PreviousHash"/> was replaced; a retry does not move it, so the grace never stretches.</summary>
    [Id(7)] public DateTimeOffset? PreviousRotatedAt { get; init; }
}

public enum RefreshDecision
{
    /// <summary>The current token of a live family: issue the next one.</summary>
    Rotate,

    /// <summary>
    /// The token the last rotation replaced, presented again within the reuse grace: a client's retry. Issue the next
    /// token of the family; the grace still runs from the first rotation.
    /// </summary>
    Retry,

    /// <summary>A token this family already replaced: someone kept a copy. Revoke the family.</summary>
    Reused,

    /// <summary>Unknown, expired (its own lifetime or its family's) or revoked.</summary>
    Invalid,
}

public static class RefreshRules
{
    /// <summary>How many replaced tokens a family remembers for reuse detection.</summary>
    public const int RememberedRotations = 32;

    /// <summary>How long a dead family is kept, so its access tokens keep answering token_revoked and its old tokens token_reused.</summary>
    public static readonly TimeSpan DeadFamilyRetention = TimeSpan.FromDays(7);

    /// <summary>
    /// Revoked families kept, newest first: repeated logins past <see cref="AccountOptions.MaxRefreshFamilies"/> must
    /// not grow the user's state. A token of a family dropped beyond this answers invalid_token instead of token_reused,
    /// and its access tokens token_revoked all the same (an unknown family is not live).
    /// </summary>
    public const int RevokedFamiliesKept = 20;

    /// <summary>
    /// Replaced tokens a revoked family still remembers. Nothing is left to protect (the family is dead either way), so
    /// only the newest few, the ones a thief or a racing client may still present, keep answering token_reused.
    /// </summary>
    public const int RevokedRotationsKept = 4;

    public static RefreshFamily Start(Guid id, string tokenHash, DateTimeOffset now, AccountOptions options) =>
        new(id, tokenHash, TokenExpiry(now, now, options), now, [], RevokedAt: null);

    /// <summary>When the family ends, whatever its rotations: then only a new login signs the user in.</summary>
    public static DateTimeOffset FamilyExpiresAt(RefreshFamily family, AccountOptions options) => family.CreatedAt + options.RefreshFamilyLifetime;

    /// <summary>Finds the family a presented token belongs to and what to do with it.</summary>
    /// <remarks>
    /// Plain comparison is safe here: these are SHA-256 digests of 64-byte random tokens, so timing reveals
    /// nothing an attacker could use to forge one.
    /// </remarks>
    public static (RefreshFamily? Family, RefreshDecision Decision) Decide(
        IEnumerable<RefreshFamily> families, string presentedHash, DateTimeOffset now, AccountOptions options)
    {
        foreach (var family in families)
        {
            var live = !family.IsRevoked && now < FamilyExpiresAt(family, options);
            if (family.CurrentHash == presentedHash)
            {
                return (family, live && now < family.CurrentExpiresAt ? RefreshDecision.Rotate : RefreshDecision.Invalid);
            }

            if (live && family.PreviousHash == presentedHash && family.PreviousRotatedAt is { } rotatedAt
                && now < rotatedAt + options.RefreshReuseGrace)
            {
                return (family, RefreshDecision.Retry);
            }

            if (family.RotatedHashes.Contains(presentedHash))
            {
                return (family, RefreshDecision.Reused);
            }
        }

        return (null, RefreshDecision.Invalid);
    }

    public static RefreshFamily Rotate(RefreshFamily family, string nextHash, DateTimeOffset now, AccountOptions options) =>
        Replace(family, nextHash, now, options) with { PreviousHash = family.CurrentHash, PreviousRotatedAt = now };

    /// <summary>
    /// Answers a retry with the previous token: a new current token, while the previous one keeps its place and its
    /// grace. The current token it replaces was never received by the client, so it joins the reuse list.
    /// </summary>
    public static RefreshFamily Retry(RefreshFamily family, string nextHash, DateTimeOffset now, AccountOptions options) =>
        Replace(family, nextHash, now, options);

    private static RefreshFamily Replace(RefreshFamily family, string nextHash, DateTimeOffset now, AccountOptions options) =>
        family with
        {
            CurrentHash = nextHash,
            CurrentExpiresAt = TokenExpiry(family.CreatedAt, now, options),
            RotatedHashes = [family.CurrentHash, .. family.RotatedHashes.Take(RememberedRotations - 1)],
        };

    // A token never outlives its family, so pruning (which looks at the token's expiry) forgets the family in time.
    private static DateTimeOffset TokenExpiry(DateTimeOffset familyCreatedAt, DateTimeOffset now, AccountOptions options) =>
        Min(now + options.RefreshTokenLifetime, familyCreatedAt + options.RefreshFamilyLifetime);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    public static RefreshFamily Revoke(RefreshFamily family, DateTimeOffset now) =>
        family.IsRevoked ? family : family with { RevokedAt = now, RotatedHashes = [.. family.RotatedHashes.Take(RevokedRotationsKept)] };

    /// <summary>Whether access tokens of this family (their <c>sid</c>) may still be used.</summary>
    public static bool IsLive(RefreshFamily? family) => family is { IsRevoked: false };

    /// <summary>
    /// Keeps state bounded: forgets families dead for longer than the retention, revokes the oldest live ones beyond
    /// the allowed number, and forgets the oldest revoked ones beyond <see cref="RevokedFamiliesKept"/>.
    /// </summary>
    public static Dictionary<Guid, RefreshFamily> Prune(IReadOnlyDictionary<Guid, RefreshFamily> families, DateTimeOffset now, AccountOptions options)
    {
        var kept = families.Values
            .Where(f => (f.RevokedAt ?? f.CurrentExpiresAt) + DeadFamilyRetention > now)
            .ToDictionary(f => f.Id);
        foreach (var surplus in kept.Values.Where(f => IsLive(f)).OrderByDescending(f => f.CreatedAt).Skip(options.MaxRefreshFamilies).ToList())
        {
            kept[surplus.Id] = Revoke(surplus, now);
        }

        foreach (var forgotten in kept.Values.Where(f => f.IsRevoked).OrderByDescending(f => f.RevokedAt).ThenByDescending(f => f.CreatedAt)
                     .Skip(RevokedFamiliesKept).ToList())
        {
            kept.Remove(forgotten.Id);
        }

        return kept;
    }
}
