using System.Collections.Immutable;
using Learning.Access;
using Learning.Accounts;
using Learning.Audit;
using Learning.Devices;
using Learning.Email;
using Learning.Email.Codes;
using Learning.Playback;
using Learning.Progress;

namespace Learning.Users;

/// <summary>Everything a user's grain persists, written as one record so every change is atomic.</summary>
[GenerateSerializer, Alias("users.state")]
public sealed class UserState
{
    [Id(0)] public UserAccount? Account { get; set; }

    [Id(1)] public Dictionary<Guid, RefreshFamily> RefreshFamilies { get; set; } = [];

    [Id(2)] public LoginThrottle Throttle { get; set; } = LoginThrottle.None;

    [Id(4)] public ImmutableList<Device> Devices { get; set; } = [];

    /// <summary>
    /// Sessions not yet ended, and ended ones until the read model has their final state (then they become
    /// <see cref="EndedSessions"/>): full sessions are kept only while something still needs them.
    /// </summary>
    [Id(5)] public ImmutableList<PlaybackSession> Sessions { get; set; } = [];

    /// <summary>Tombstones of ended sessions, so their tokens keep answering why they ended (see <see cref="SessionTombstone"/>).</summary>
    [Id(7)] public ImmutableList<SessionTombstone> EndedSessions { get; set; } = [];

    /// <summary>
    /// Audit entries stored with the change they describe and published after it (an outbox): a change that was
    /// never stored never gets an entry, and one that was stored gets it at the latest when the grain next activates.
    /// </summary>
    [Id(3)] public List<AuditEntry> AuditOutbox { get; set; } = [];

    /// <summary>
    /// Mails stored with the change that causes them, handed to the mail queue after it (like <see cref="AuditOutbox"/>).
    /// They may hold a link or code in clear, so the state is stored again once they are handed over.
    /// </summary>
    [Id(11)] public List<OutgoingMail> MailOutbox { get; set; } = [];

    /// <summary>Hashes of the email verification links mailed recently (the newest few).</summary>
    [Id(8)] public ImmutableList<IssuedLink> VerificationLinks { get; set; } = [];

    [Id(9)] public PasswordResetState PasswordReset { get; set; } = PasswordResetState.None;

    /// <summary>Registers and transfers waiting for a code, wrong codes of the last hour, devices confirmed.</summary>
    [Id(10)] public DeviceConfirmations DeviceConfirmations { get; set; } = DeviceConfirmations.None;

    /// <summary>Subscription, grants and the Stripe customer link (<c>Access:Mode=subscription</c>).</summary>
    [Id(12)] public AccessState Access { get; set; } = AccessState.None;

    /// <summary>Learning progress of lessons with open sessions, and progress not yet written behind (see <see cref="ProgressState"/>).</summary>
    [Id(13)] public ProgressState Progress { get; set; } = ProgressState.None;

    /// <summary>Grows with every stored change; the read model keeps only the newest snapshot it was sent.</summary>
    [Id(6)] public long Version { get; set; }
}

[GenerateSerializer, Immutable, Alias("users.account")]
public sealed record UserAccount(
    [property: Id(0)] string Email,
    [property: Id(1)] string FullName,
    [property: Id(2)] Role Role,
    [property: Id(3)] string PasswordHash,
    [property: Id(4)] DateTimeOffset CreatedAt)
{
    /// <summary>Set once a mailed verification link was used; accounts from before verification existed start unverified.</summary>
    [Id(5)] public bool EmailVerified { get; init; }

    /// <summary>Set by an admin: every sign-in (login, refresh) is refused with <c>403 account_disabled</c>.</summary>
    [Id(6)] public bool Disabled { get; init; }
}
