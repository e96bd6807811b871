using Learning.Accounts;
using Learning.Audit;
using Learning.Common;
using Learning.Email.Codes;
using Learning.Playback;
using Microsoft.Extensions.Logging;

namespace Learning.Users;

/// <summary>Email verification and password reset: links mailed to the account's address, each usable once.</summary>
public sealed partial class UserGrain
{
    /// <summary>One answer for unknown, used, expired and foreign tokens alike.</summary>
    private static readonly Failure InvalidLinkToken = new(ErrorCodes.InvalidToken, "This link is invalid, expired or already used.");

    private static readonly Failure EmailNotVerified = new(ErrorCodes.EmailNotVerified, "Verify your email address first: follow the link we mailed you.");

    public async Task<Result<Done>> RequestEmailVerification(Caller caller)
    {
        if (Authorize(caller) is { } refused)
        {
            return refused;
        }

        var account = State.Account!;
        if (account.EmailVerified)
        {
            return Done.Instance;
        }

        if (EmailVerificationRules.ResendWait(State.VerificationLinks, Now) is { } wait)
        {
            return ResendTooSoon(wait);
        }

        if (await RefuseWhileOutboxFull(sendsMail: true) is { } backlogFull)
        {
            return backlogFull;
        }

        MailVerificationLink(account);
        await CommitAsync();
        return Done.Instance;
    }

    public async Task<Result<Done>> VerifyEmail(string token, ClientInfo client)
    {
        if (State.Account is not { } account
            || !EmailVerificationRules.Accepts(State.VerificationLinks, OneTimeSecrets.Hash(SecretPurposes.VerifyEmail, UserId, token), Now))
        {
            return InvalidLinkToken;
        }

        if (await RefuseWhileAuditBacklogFull() is { } backlogFull)
        {
            return backlogFull;
        }

        State.Account = account with { EmailVerified = true };
        // Every link mailed so far has done its job.
        State.VerificationLinks = [];
        Audit(AuditActions.EmailVerified, client);
        await CommitAsync();
        return Done.Instance;
    }

    public async Task RequestPasswordReset(ClientInfo client)
    {
        if (State.Account is not { } account)
        {
            return;
        }

        if (await RefuseWhileOutboxFull(sendsMail: true) is not null)
        {
            logger.LogWarning("A password reset for user {UserId} was not sent: the outbox is full", UserId);
            return;
        }

        var now = Now;
        var send = PasswordResetRules.MaySend(State.PasswordReset, now);
        if (send)
        {
            var token = OneTimeSecrets.NewLinkToken(UserId);
            State.PasswordReset = PasswordResetRules.Issue(State.PasswordReset, OneTimeSecrets.Hash(SecretPurposes.PasswordReset, UserId, token), now);
            Mail(composer.PasswordReset(UserId, account.Email, account.FullName, token, now));
        }

        Audit(AuditActions.PasswordResetRequested, client, AuditMetadata.Of(("mail_sent", send), ("reason", send ? null : "send_limit")));
        await CommitAsync();
    }

    public async Task<Result<Done>> ResetPassword(string token, string newPassword, ClientInfo client)
    {
        var now = Now;
        if (State.Account is not { } account
            || !PasswordResetRules.Accepts(State.PasswordReset, OneTimeSecrets.Hash(SecretPurposes.PasswordReset, UserId, token), now))
        {
            return InvalidLinkToken;
        }

        // A refused password leaves the link usable, so the user can pick a better one.
        if (PasswordPolicy.Check(newPassword, account.Email, account.FullName) is { } problem)
        {
            return Failure.Validation("new_password", problem);
        }

        if (await RefuseWhileOutboxFull(sendsMail: true) is { } backlogFull)
        {
            return backlogFull;
        }

        State.Account = account with { PasswordHash = hasher.Hash(newPassword) };
        State.PasswordReset = PasswordResetRules.Consume(State.PasswordReset);
        State.Throttle = LoginThrottle.None;
        var revoked = RevokeFamilies(_ => true, now);
        Audit(AuditActions.PasswordReset, client, AuditMetadata.Of(("sessions_revoked", revoked)));
        EndSessions(_ => true, EndReasons.Ended, client);
        Mail(composer.PasswordResetDone(UserId, account.Email, account.FullName, now));
        await CommitAsync();
        return Done.Instance;
    }

    /// <summary>With <c>Auth:RequireVerifiedEmail</c>, an unverified account may sign in but not play.</summary>
    private Failure? RefuseUnverifiedEmail() =>
        AccountRules.RequireVerifiedEmail && State.Account is { EmailVerified: false } ? EmailNotVerified : null;

    private void MailVerificationLink(UserAccount account)
    {
        var token = OneTimeSecrets.NewLinkToken(UserId);
        State.VerificationLinks = EmailVerificationRules.Issue(State.VerificationLinks, OneTimeSecrets.Hash(SecretPurposes.VerifyEmail, UserId, token), Now);
        Mail(composer.VerifyEmail(UserId, account.Email, account.FullName, token, Now));
    }
}
