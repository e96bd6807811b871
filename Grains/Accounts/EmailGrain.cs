using Learning.Audit;
using Learning.Common;
using Learning.Hosting;
using Learning.ReadModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Learning.Accounts;

[GenerateSerializer, Alias("accounts.email-claim")]
public sealed class EmailClaim
{
    [Id(0)] public Guid? UserId { get; set; }

    /// <summary>False between reserving the email and creating its user: a crash there must not lock the email forever.</summary>
    [Id(1)] public bool Confirmed { get; set; }
}

/// <summary>
/// An email's claim: who owns it, and the failed logins while nobody does. Called only while someone registers, signs
/// in or asks for a password reset, a few calls each time; at the silo's default collection age (15 minutes) every
/// signed-in learner kept this activation in memory next to their user's grain for nothing, 2.75 KB each (see
/// docs/benchmarks.md, "Live heap per active user"). So it is collected after two minutes idle (the shortest age the
/// silo accepts: it must exceed the one-minute collection quantum), and activated again, one storage read, on the next
/// sign-in. Failed logins keep it longer (<see cref="FailUnknownLogin"/>).
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class EmailGrain(
    [PersistentState("email", StorageNames.Default)] IPersistentState<EmailClaim> claim,
    IGrainFactory grains,
    PasswordHasher hasher,
    IOptions<AccountOptions> options,
    IOptions<GrainCollectionOptions> collection,
    IReadModelWriter readModel,
    [FromKeyedServices(Clock.ServiceKey)] TimeProvider clock) : Grain, IEmailGrain
{
    /// <summary>
    /// Failed logins while nobody owns this email. Memory only, on purpose: storing them would let anyone add a row
    /// per made-up email. A silo restart, or deactivation once idle and unlocked, forgets them; each failure keeps the
    /// grain at least as long as the silo's default collection age, so the short age above does not forget them sooner.
    /// </summary>
    private LoginThrottle _unknownThrottle = LoginThrottle.None;

    public async Task<Result<UserProfile>> Register(NewUser user, ClientInfo client)
    {
        if (claim.State.Confirmed)
        {
            return AccountFailures.EmailTaken;
        }

        if (claim.State.UserId is { } pending)
        {
            // An earlier registration stopped half-way: if it got as far as creating its user, that user owns the email.
            if (await grains.GetGrain<IUserGrain>(pending).Find() is not null)
            {
                await ConfirmAsync();
                return AccountFailures.EmailTaken;
            }
        }
        else
        {
            claim.State.UserId = Guid.NewGuid();
            await claim.WriteStateAsync();
        }

        var created = await grains.GetGrain<IUserGrain>(claim.State.UserId.Value).Create(user, client);
        await ConfirmAsync();
        return created;
    }

    public Task<Guid?> GetOwner() => Task.FromResult(claim.State.Confirmed ? claim.State.UserId : null);

    public Task<UnknownEmailLogin> FailUnknownLogin(string password)
    {
        // The same steps, in the same order, as a user's grain: a lock refuses before any hashing; otherwise a
        // verification's worth of hashing, serialized per email, then the count.
        var now = clock.GetUtcNow();
        if (LockoutRules.LockRemaining(_unknownThrottle, now) is { } remaining)
        {
            return Task.FromResult(new UnknownEmailLogin(remaining, _unknownThrottle.ConsecutiveFailures, _unknownThrottle.LockedUntil));
        }

        hasher.VerifyAgainstDummy(password);
        _unknownThrottle = LockoutRules.AfterFailure(_unknownThrottle, now, options.Value);
        if (_unknownThrottle.LockedUntil is { } lockedUntil)
        {
            // Stay active while locked, whatever the idle collection age: the lock must last as long as an account's.
            DelayDeactivation(lockedUntil - now);
        }
        else
        {
            // Failures spaced further apart than the short idle age must still add up to a lock, as they did when
            // every grain idled for the default age: otherwise a known email would lock where an unknown one never does.
            DelayDeactivation(collection.Value.CollectionAge);
        }

        return Task.FromResult(new UnknownEmailLogin(null, _unknownThrottle.ConsecutiveFailures, _unknownThrottle.LockedUntil));
    }

    public async Task RequestPasswordReset(ClientInfo client)
    {
        if (claim.State is { Confirmed: true, UserId: { } owner })
        {
            await grains.GetGrain<IUserGrain>(owner).RequestPasswordReset(client);
            return;
        }

        // Recorded as a failed login for an unknown email is: operators see who probes for accounts.
        var now = clock.GetUtcNow();
        var email = this.GetPrimaryKeyString();
        await readModel.WriteAsync(null, [new AuditEntry(AuditIds.Next(now), null, EmailAddress.IsValid(email) ? email : null,
            AuditActions.PasswordResetRequested, client.IpAddress, client.UserAgent,
            AuditMetadata.Of(("mail_sent", false), ("reason", "unknown_email")), now)]);
    }

    private Task ConfirmAsync()
    {
        claim.State.Confirmed = true;
        return claim.WriteStateAsync();
    }
}
