using Learning.Audit;
using Learning.Common;
using Learning.Hosting;
using Learning.ReadModel;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace Learning.Accounts;

/// <summary>
/// Stateless, so every silo runs as many as it needs: password hashing (the slow part of registering) happens
/// here, in parallel, before the email's grain serializes the claim.
/// </summary>
[StatelessWorker]
public sealed class AccountsGrain(
    IGrainFactory grains, IReadModelWriter readModel, PasswordHasher hasher, [FromKeyedServices(Clock.ServiceKey)] TimeProvider clock)
    : Grain, IAccountsGrain
{
    public async Task<Result<UserProfile>> Register(RegisterAccount command, ClientInfo client)
    {
        var email = EmailAddress.Normalize(command.Email);
        if (PasswordPolicy.Check(command.Password, email, command.FullName) is { } problem)
        {
            return Failure.Validation("password", problem);
        }

        // A taken email is refused before the costly hash, so repeating a registration cannot buy CPU; the claim
        // itself (and a race for the same email) is still settled by the email's grain.
        var claim = grains.GetGrain<IEmailGrain>(email);
        if (await claim.GetOwner() is not null)
        {
            return AccountFailures.EmailTaken;
        }

        return await claim.Register(new NewUser(email, hasher.Hash(command.Password), command.FullName.Trim(), command.Role), client);
    }

    public async Task<Result<TokenGrant>> Login(string email, string password, ClientInfo client)
    {
        var normalized = EmailAddress.Normalize(email);
        var emailGrain = grains.GetGrain<IEmailGrain>(normalized);
        if (await emailGrain.GetOwner() is { } userId)
        {
            return await grains.GetGrain<IUserGrain>(userId).Login(password, client);
        }

        var attempt = await emailGrain.FailUnknownLogin(password);
        if (attempt.LockRemaining is { } remaining)
        {
            return AccountFailures.Locked(remaining);
        }

        // Only an address is kept: text that is not one may be a password typed into the wrong field.
        var attempted = EmailAddress.IsValid(normalized) ? normalized : null;
        var now = clock.GetUtcNow();
        List<AuditEntry> entries = [new(AuditIds.Next(now), null, attempted, AuditActions.LoginFailed, client.IpAddress, client.UserAgent,
            AuditMetadata.Of(("reason", "unknown_email"), ("consecutive_failures", attempt.ConsecutiveFailures)), now)];
        if (attempt.LockedUntil is { } lockedUntil)
        {
            entries.Add(new(AuditIds.Next(now), null, attempted, AuditActions.AccountLocked, client.IpAddress, client.UserAgent,
                AuditMetadata.Of(("reason", "unknown_email"), ("locked_until", lockedUntil.UtcDateTime)), now));
        }

        await readModel.WriteAsync(null, entries);
        return AccountFailures.InvalidCredentials;
    }

    public Task<Result<TokenGrant>> Refresh(string refreshToken, ClientInfo client) =>
        RefreshTokenCodec.TryReadUserId(refreshToken, out var userId)
            ? grains.GetGrain<IUserGrain>(userId).Refresh(refreshToken, client)
            : Task.FromResult<Result<TokenGrant>>(AccountFailures.InvalidToken);
}
