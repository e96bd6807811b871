namespace Learning.Email;

/// <summary>
/// A rendered message, queued in the user's grain state with the change that causes it (like the audit outbox) and
/// then handed to the durable <see cref="IMailQueue"/>. <see cref="Id"/> is made with the change, so handing it over
/// twice queues it once.
/// </summary>
[GenerateSerializer, Immutable, Alias("email.outgoing-mail")]
public sealed record OutgoingMail(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid UserId,
    [property: Id(2)] string To,
    [property: Id(3)] string Kind,
    [property: Id(4)] string Subject,
    [property: Id(5)] string TextBody,
    [property: Id(6)] string HtmlBody,
    [property: Id(7)] DateTimeOffset CreatedAt);

/// <summary>What a mail is about (<see cref="OutgoingMail.Kind"/>): operators filter failed mail by it.</summary>
public static class MailKinds
{
    public const string VerifyEmail = "verify_email";
    public const string PasswordReset = "password_reset";
    public const string PasswordResetDone = "password_reset_done";
    public const string PasswordChanged = "password_changed";
    public const string AccountLocked = "account_locked";
    public const string NewDevice = "new_device";
    public const string DeviceCode = "device_code";
    public const string TrialEnding = "trial_ending";
    public const string PaymentFailed = "payment_failed";
    public const string PaymentActionRequired = "payment_action_required";
}
