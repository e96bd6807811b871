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
        MailVerificationLink(State.Account);
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

        // A failure may lock the account, which mails a notice.
        if (await RefuseWhileOutboxFull(sendsMail: true) is { } backlogFull)
        {
            return backlogFull;
        }

        var now = Now;
        if (LockoutRules.LockRemaining(State.Throttle, now) is { } remaining)
        {
            metrics.Logins.Add(1, BusinessMetrics.Outcome(ErrorCodes.AccountLocked));
            return AccountFailures.Locked(remaining);
        }

        if (!PasswordHasher.Verify(password, account.PasswordHash))
        {
            RecordFailedLogin(client, now, source: null);
            await CommitAsync();
            metrics.Logins.Add(1, BusinessMetrics.Outcome(ErrorCodes.InvalidCredentials));
            return AccountFailures.InvalidCredentials;
        }

        // Checked after the password, so only its holder learns the account is disabled.
        if (account.Disabled)
        {
            return AccountFailures.Disabled;
        }

        State.Throttle = LoginThrottle.None;
        var grant = StartRefreshFamily(account, now);
        EndSessionsOfRevokedFamilies(client);
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

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        var now = Now;
        var (family, decision) = RefreshRules.Decide(State.RefreshFamilies.Values, TokenHasher.Hash(refreshToken), now, AccountRules);
        if (family is not null && account.Disabled)
        {
            return AccountFailures.Disabled;
        }

        switch (decision)
        {
            case RefreshDecision.Rotate:
                var next = RefreshTokenCodec.Issue(UserId);
                State.RefreshFamilies[family!.Id] = RefreshRules.Rotate(family, TokenHasher.Hash(next), now, AccountRules);
                await CommitAsync();
                return new TokenGrant(UserId, account.Role, family.Id, next);

            case RefreshDecision.Retry:
                var reissued = RefreshTokenCodec.Issue(UserId);
                State.RefreshFamilies[family!.Id] = RefreshRules.Retry(family, TokenHasher.Hash(reissued), now, AccountRules);
                await CommitAsync();
                return new TokenGrant(UserId, account.Role, family.Id, reissued);

            case RefreshDecision.Reused:
                State.RefreshFamilies[family!.Id] = RefreshRules.Revoke(family, now);
                Audit(AuditActions.TokenReuseDetected, client, AuditMetadata.Of(("family_started_at", family.CreatedAt.UtcDateTime)));
                EndSessionsOfRevokedFamilies(client);
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

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        var (family, _) = RefreshRules.Decide(State.RefreshFamilies.Values, TokenHasher.Hash(refreshToken), Now, AccountRules);
        if (family is null)
        {
            return AccountFailures.InvalidToken;
        }

        State.RefreshFamilies[family.Id] = RefreshRules.Revoke(family, Now);
        Audit(AuditActions.Logout, caller.Client);
        EndSessionsOfRevokedFamilies(caller.Client);
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

        if (await RefuseWhileOutboxFull(sendsMail: true) is { } backlogFull)
        {
            return backlogFull;
        }

        var account = State.Account!;
        var now = Now;
        if (LockoutRules.LockRemaining(State.Throttle, now) is { } remaining)
        {
            return AccountFailures.Locked(remaining);
        }

        // A stolen access token must not buy unlimited guesses: a wrong current password is a failed login.
        if (!PasswordHasher.Verify(currentPassword, account.PasswordHash))
        {
            RecordFailedLogin(caller.Client, now, source: "password_change");
            await CommitAsync();
            return AccountFailures.InvalidCredentials;
        }

        if (PasswordPolicy.CheckChange(currentPassword, newPassword, account.Email, account.FullName) is { } problem)
        {
            return Failure.Validation("new_password", problem);
        }

        State.Throttle = LoginThrottle.None;
        State.Account = account with { PasswordHash = hasher.Hash(newPassword) };
        var revoked = RevokeFamilies(f => f.Id != caller.FamilyId, now);
        Audit(AuditActions.PasswordChange, caller.Client, AuditMetadata.Of(("sessions_revoked", revoked)));
        EndSessionsOfRevokedFamilies(caller.Client);
        Mail(composer.PasswordChanged(UserId, account.Email, account.FullName, now));
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

    /// <summary>Counts a wrong password toward the lockout and audits it (and the lock, when this failure set it).</summary>
    private void RecordFailedLogin(ClientInfo client, DateTimeOffset now, string? source)
    {
        State.Throttle = LockoutRules.AfterFailure(State.Throttle, now, AccountRules);
        Audit(AuditActions.LoginFailed, client, AuditMetadata.Of(("consecutive_failures", State.Throttle.ConsecutiveFailures), ("source", source)));
        if (State.Throttle.LockedUntil is { } lockedUntil)
        {
            // Only the failure that locks gets here (a locked account refuses before counting), so one notice per lockout.
            Audit(AuditActions.AccountLocked, client, AuditMetadata.Of(("locked_until", lockedUntil.UtcDateTime), ("source", source)));
            Mail(composer.AccountLocked(UserId, State.Account!.Email, State.Account.FullName, lockedUntil, now));
        }
    }

    /// <summary>Revokes the live families <paramref name="which"/> picks; returns how many.</summary>
    private int RevokeFamilies(Func<RefreshFamily, bool> which, DateTimeOffset now)
    {
        var revoked = State.RefreshFamilies.Values.Where(f => !f.IsRevoked && which(f)).ToList();
        foreach (var family in revoked)
        {
            State.RefreshFamilies[family.Id] = RefreshRules.Revoke(family, now);
        }

        return revoked.Count;
    }

    private TokenGrant StartRefreshFamily(UserAccount account, DateTimeOffset now)
    {
        var token = RefreshTokenCodec.Issue(UserId);
        var family = RefreshRules.Start(Guid.NewGuid(), TokenHasher.Hash(token), now, AccountRules);
        State.RefreshFamilies[family.Id] = family;
        State.RefreshFamilies = RefreshRules.Prune(State.RefreshFamilies, now, AccountRules);
        return new TokenGrant(UserId, account.Role, family.Id, token);
    }

    private UserProfile Profile(UserAccount account) =>
        new(UserId, account.Email, account.FullName, account.Role, account.CreatedAt, account.EmailVerified);
}
