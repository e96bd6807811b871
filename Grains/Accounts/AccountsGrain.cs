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
        if (PasswordPolicy.Check(command.Password, email) is { } problem)
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
        if (await grains.GetGrain<IEmailGrain>(normalized).GetOwner() is { } userId)
        {
            return await grains.GetGrain<IUserGrain>(userId).Login(password, client);
        }

        hasher.VerifyAgainstDummy(password);
        var now = clock.GetUtcNow();
        await readModel.WriteAsync(null, [new AuditEntry(AuditIds.Next(now), null, normalized, AuditActions.LoginFailed,
            client.IpAddress, client.UserAgent, AuditMetadata.Of(("reason", "unknown_email")), now)]);
        return AccountFailures.InvalidCredentials;
    }

    public Task<Result<TokenGrant>> Refresh(string refreshToken, ClientInfo client) =>
        RefreshTokenCodec.TryReadUserId(refreshToken, out var userId)
            ? grains.GetGrain<IUserGrain>(userId).Refresh(refreshToken, client)
            : Task.FromResult<Result<TokenGrant>>(AccountFailures.InvalidToken);
}
