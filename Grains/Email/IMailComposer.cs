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

    /// <summary>The trial ends at <paramref name="trialEnd"/> (Stripe warns three days before); the plan starts then unless canceled.</summary>
    OutgoingMail TrialEnding(Guid userId, string to, string fullName, DateTimeOffset? trialEnd, DateTimeOffset now);

    /// <summary>A renewal could not be charged; access lasts through the grace while Stripe retries.</summary>
    OutgoingMail PaymentFailed(Guid userId, string to, string fullName, long? amount, string? currency, DateTimeOffset now);

    /// <summary>The bank asks the customer to confirm a payment, on Stripe's hosted invoice page.</summary>
    OutgoingMail PaymentActionRequired(Guid userId, string to, string fullName, string? hostedInvoiceUrl, DateTimeOffset now);
}
