using Learning.Accounts;
using Learning.Audit;
using Learning.Common;
using Learning.Hosting;

namespace Learning.Users;

public sealed partial class UserGrain
{
    private AccountOptions AccountRules => accountOptions.Value;

    public async Task<Result<UserProfile>> Create(NewUser user, ClientInfo client)
    {
        if (State.Account is not null)
        {
            return AccountFailures.EmailTaken;
        }

        State.Account = new UserAccount(user.Email, user.FullName, user.Role, user.PasswordHash, Now);
        Audit(AuditActions.UserRegister, client, AuditMetadata.Of(("role", user.Role.WireName())));
        await CommitAsync();
        return Profile(State.Account);
    }

    public Task<UserProfile?> Find() => Task.FromResult(State.Account is { } account ? Profile(account) : null);

    public async Task<Result<TokenGrant>> Login(string password, ClientInfo client)
    {
        if (State.Account is not { } account)
        {
            hasher.VerifyAgainstDummy(password);
            return AccountFailures.InvalidCredentials;
        }

        var now = Now;
        if (LockoutRules.LockRemaining(State.Throttle, now) is { } remaining)
        {
            metrics.Logins.Add(1, BusinessMetrics.Outcome(ErrorCodes.AccountLocked));
            return new Failure(ErrorCodes.AccountLocked, "Too many failed logins; the account is locked for a while.")
            {
                RetryAfterSeconds = LockoutRules.RetryAfterSeconds(remaining),
            };
        }

        if (!PasswordHasher.Verify(password, account.PasswordHash))
        {
            State.Throttle = LockoutRules.AfterFailure(State.Throttle, now, AccountRules);
            Audit(AuditActions.LoginFailed, client, AuditMetadata.Of(("consecutive_failures", State.Throttle.ConsecutiveFailures)));
            if (State.Throttle.LockedUntil is { } lockedUntil)
            {
                Audit(AuditActions.AccountLocked, client, AuditMetadata.Of(("locked_until", lockedUntil.UtcDateTime)));
            }

            await CommitAsync();
            metrics.Logins.Add(1, BusinessMetrics.Outcome(ErrorCodes.InvalidCredentials));
            return AccountFailures.InvalidCredentials;
        }

        State.Throttle = LoginThrottle.None;
        var grant = StartRefreshFamily(account, now);
        Audit(AuditActions.Login, client);
        await CommitAsync();
        metrics.Logins.Add(1, BusinessMetrics.Outcome("success"));
        return grant;
    }

    public async Task<Result<TokenGrant>> Refresh(string refreshToken, ClientInfo client)
    {
        if (State.Account is not { } account)
        {
            return AccountFailures.InvalidToken;
        }

        var now = Now;
        var (family, decision) = RefreshRules.Decide(State.RefreshFamilies.Values, RefreshTokenCodec.Hash(refreshToken), now);
        switch (decision)
        {
            case RefreshDecision.Rotate:
                var next = RefreshTokenCodec.Issue(UserId);
                State.RefreshFamilies[family!.Id] = RefreshRules.Rotate(family, RefreshTokenCodec.Hash(next), now, AccountRules);
                await CommitAsync();
                return new TokenGrant(UserId, account.Role, family.Id, next);

            case RefreshDecision.Reused:
                State.RefreshFamilies[family!.Id] = RefreshRules.Revoke(family, now);
                Audit(AuditActions.TokenReuseDetected, client, AuditMetadata.Of(("family_started_at", family.CreatedAt.UtcDateTime)));
                await CommitAsync();
                return new Failure(ErrorCodes.TokenReused, "This refresh token was already used; every session descended from it is now signed out.");

            default:
                return AccountFailures.InvalidToken;
        }
    }

    public async Task<Result<Done>> Logout(Caller caller, string refreshToken)
    {
        if (Authorize(caller) is { } refused)
        {
            return refused;
        }

        var (family, _) = RefreshRules.Decide(State.RefreshFamilies.Values, RefreshTokenCodec.Hash(refreshToken), Now);
        if (family is null)
        {
            return AccountFailures.InvalidToken;
        }

        State.RefreshFamilies[family.Id] = RefreshRules.Revoke(family, Now);
        Audit(AuditActions.Logout, caller.Client);
        await CommitAsync();
        return Done.Instance;
    }

    public Task<Result<UserProfile>> GetProfile(Caller caller) =>
        Task.FromResult<Result<UserProfile>>(Authorize(caller) is { } refused ? refused : Profile(State.Account!));

    public async Task<Result<Done>> ChangePassword(Caller caller, string currentPassword, string newPassword)
    {
        if (Authorize(caller) is { } refused)
        {
            return refused;
        }

        var account = State.Account!;
        if (!PasswordHasher.Verify(currentPassword, account.PasswordHash))
        {
            return AccountFailures.InvalidCredentials;
        }

        if (PasswordPolicy.Check(newPassword, account.Email) is { } problem)
        {
            return Failure.Validation("new_password", problem);
        }

        var now = Now;
        State.Account = account with { PasswordHash = hasher.Hash(newPassword) };
        var others = State.RefreshFamilies.Values.Where(f => f.Id != caller.FamilyId && !f.IsRevoked).ToList();
        foreach (var family in others)
        {
            State.RefreshFamilies[family.Id] = RefreshRules.Revoke(family, now);
        }

        Audit(AuditActions.PasswordChange, caller.Client, AuditMetadata.Of(("sessions_revoked", others.Count)));
        await CommitAsync();
        return Done.Instance;
    }

    public Task<CallerStatus> CheckCaller(Guid familyId) => Task.FromResult(StatusOf(familyId));

    /// <summary>Refuses callers whose access token is not this user's or whose refresh family was revoked.</summary>
    private Failure? Authorize(Caller caller) =>
        caller.UserId != UserId
            ? AccountFailures.NotAuthenticated
            : StatusOf(caller.FamilyId).State switch
            {
                CallerState.Live => null,
                CallerState.Revoked => AccountFailures.TokenRevoked,
                _ => AccountFailures.NotAuthenticated,
            };

    private CallerStatus StatusOf(Guid familyId) => State.Account is not { } account
        ? new CallerStatus(CallerState.Unknown, Role.Student)
        : new CallerStatus(
            RefreshRules.IsLive(State.RefreshFamilies.GetValueOrDefault(familyId)) ? CallerState.Live : CallerState.Revoked,
            account.Role);

    private TokenGrant StartRefreshFamily(UserAccount account, DateTimeOffset now)
    {
        var token = RefreshTokenCodec.Issue(UserId);
        var family = RefreshRules.Start(Guid.NewGuid(), RefreshTokenCodec.Hash(token), now, AccountRules);
        State.RefreshFamilies[family.Id] = family;
        State.RefreshFamilies = RefreshRules.Prune(State.RefreshFamilies, now, AccountRules);
        return new TokenGrant(UserId, account.Role, family.Id, token);
    }

    private UserProfile Profile(UserAccount account) => new(UserId, account.Email, account.FullName, account.Role, account.CreatedAt);
}
