using System.Collections.Immutable;

namespace Learning.Email.Codes;

/// <summary>A mailed link's token as the user's grain keeps it: only the hash, and when it stops working.</summary>
[GenerateSerializer, Immutable, Alias("email.issued-link")]
public sealed record IssuedLink(
    [property: Id(0)] string Hash,
    [property: Id(1)] DateTimeOffset IssuedAt,
    [property: Id(2)] DateTimeOffset ExpiresAt)
{
    public bool Accepts(string presentedHash, DateTimeOffset now) => now < ExpiresAt && OneTimeSecrets.SameHash(Hash, presentedHash);
}

/// <summary>
/// Email verification links (24 hours). Every unexpired link mailed recently works, since any of them proves the
/// mailbox is the user's; only the newest few are kept. Sends are at least a minute apart.
/// </summary>
public static class EmailVerificationRules
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    public static readonly TimeSpan ResendInterval = TimeSpan.FromSeconds(60);
    public const int LinksKept = 5;

    /// <summary>How long until another link may be sent, or null when one may be sent now.</summary>
    public static TimeSpan? ResendWait(ImmutableList<IssuedLink> links, DateTimeOffset now) =>
        links.Count > 0 && links.Max(l => l.IssuedAt) + ResendInterval - now is { Ticks: > 0 } wait ? wait : null;

    /// <summary>Adds a new link, forgetting expired ones and the oldest beyond <see cref="LinksKept"/>.</summary>
    public static ImmutableList<IssuedLink> Issue(ImmutableList<IssuedLink> links, string hash, DateTimeOffset now) =>
        [new IssuedLink(hash, now, now + Lifetime), .. links.Where(l => now < l.ExpiresAt).OrderByDescending(l => l.IssuedAt).Take(LinksKept - 1)];

    public static bool Accepts(ImmutableList<IssuedLink> links, string presentedHash, DateTimeOffset now) =>
        links.Any(l => l.Accepts(presentedHash, now));
}

/// <summary>The password-reset link of an account (only the newest works) and when reset mails were sent.</summary>
[GenerateSerializer, Immutable, Alias("email.password-reset")]
public sealed record PasswordResetState(
    [property: Id(0)] IssuedLink? Link,
    [property: Id(1)] ImmutableList<DateTimeOffset> Sends)
{
    /// <summary>A fresh instance every time (see <c>LoginThrottle.None</c> for why state defaults are never shared).</summary>
    public static PasswordResetState None => new(null, []);
}

/// <summary>
/// Password reset links (30 minutes): a new link replaces the previous one, and an account gets at most one reset mail a
/// minute and five an hour, whoever asks. Over the limit the request is still answered as if sent.
/// </summary>
public static class PasswordResetRules
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);
    public const int MaxPerWindow = 5;

    public static bool MaySend(PasswordResetState state, DateTimeOffset now)
    {
        var recent = Recent(state.Sends, now);
        return recent.Count < MaxPerWindow && (recent.Count == 0 || now - recent.Max() >= MinInterval);
    }

    /// <summary>Replaces the link with a new one and records the send (only the sends still inside the window are kept).</summary>
    public static PasswordResetState Issue(PasswordResetState state, string hash, DateTimeOffset now) =>
        new(new IssuedLink(hash, now, now + Lifetime), [now, .. Recent(state.Sends, now).OrderDescending().Take(MaxPerWindow - 1)]);

    public static bool Accepts(PasswordResetState state, string presentedHash, DateTimeOffset now) =>
        state.Link is { } link && link.Accepts(presentedHash, now);

    /// <summary>A link works once; the send history stays, so using a link does not lift the send limit.</summary>
    public static PasswordResetState Consume(PasswordResetState state) => state with { Link = null };

    private static List<DateTimeOffset> Recent(ImmutableList<DateTimeOffset> sends, DateTimeOffset now) =>
        sends.Where(sent => now - sent < Window).ToList();
}
