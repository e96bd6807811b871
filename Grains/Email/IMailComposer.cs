namespace Learning.Email;

/// <summary>
/// Renders each mail the platform sends (plain text and HTML), with links built from <c>Email:PublicBaseUrl</c>,
/// never from a request. Tokens and codes appear only in the rendered body.
/// </summary>
public interface IMailComposer
{
    /// <summary>Link to <c>/account/verify-email?token=…</c> (valid 24 h).</summary>
    OutgoingMail VerifyEmail(Guid userId, string to, string fullName, string token, DateTimeOffset now);

    /// <summary>Link to <c>/account/reset-password?token=…</c> (valid 30 min).</summary>
    OutgoingMail PasswordReset(Guid userId, string to, string fullName, string token, DateTimeOffset now);

    OutgoingMail PasswordResetDone(Guid userId, string to, string fullName, DateTimeOffset now);

    OutgoingMail PasswordChanged(Guid userId, string to, string fullName, DateTimeOffset now);

    OutgoingMail AccountLocked(Guid userId, string to, string fullName, DateTimeOffset lockedUntil, DateTimeOffset now);

    OutgoingMail NewDeviceActive(Guid userId, string to, string fullName, string deviceName, DateTimeOffset now);

    /// <summary>A 6-digit code confirming a new device (valid 5 min).</summary>
    OutgoingMail DeviceCode(Guid userId, string to, string fullName, string deviceName, string code, DateTimeOffset now);
}
