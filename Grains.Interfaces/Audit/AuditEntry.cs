namespace Learning.Audit;

/// <summary>
/// One security-relevant action. <see cref="Id"/> is made when the action happens, so writing an entry twice
/// (a retried outbox drain) stores it once.
/// </summary>
[GenerateSerializer, Immutable, Alias("audit.entry")]
public sealed record AuditEntry(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid? UserId,
    [property: Id(2)] string? UserEmail,
    [property: Id(3)] string Action,
    [property: Id(4)] string? IpAddress,
    [property: Id(5)] string? UserAgent,
    [property: Id(6)] string MetadataJson,
    [property: Id(7)] DateTimeOffset CreatedAt);

/// <summary>The actions of the contract's audit log.</summary>
public static class AuditActions
{
    public const string UserRegister = "user_register";
    public const string Login = "login";
    public const string LoginFailed = "login_failed";
    public const string AccountLocked = "account_locked";
    public const string Logout = "logout";
    public const string TokenReuseDetected = "token_reuse_detected";
    public const string PasswordChange = "password_change";
    public const string DeviceRegister = "device_register";
    public const string DeviceTransfer = "device_transfer";
    public const string DeviceRevoke = "device_revoke";
    public const string DeviceDeactivate = "device_deactivate";
    public const string DeviceActivate = "device_activate";
    public const string VideoStart = "video_start";
    public const string VideoEnd = "video_end";
    public const string SessionTakeover = "session_takeover";

    /// <summary>A start refused because another device plays (<c>409 session_exists</c>).</summary>
    public const string VideoStartRefused = "video_start_refused";

    public const string EmailVerified = "email_verified";
    public const string PasswordResetRequested = "password_reset_requested";
    public const string PasswordReset = "password_reset";
    public const string DeviceConfirmationSent = "device_confirmation_sent";
    public const string DeviceConfirmationFailed = "device_confirmation_failed";

    public const string CourseCreate = "course_create";
    public const string CourseUpdate = "course_update";
    public const string CourseDelete = "course_delete";
    public const string LessonCreate = "lesson_create";
    public const string LessonUpdate = "lesson_update";
    public const string LessonDelete = "lesson_delete";
    public const string MediaUpload = "media_upload";

    /// <summary>A mail the SMTP server refused for good, or given up after retries (metadata: mail id, kind, error).</summary>
    public const string MailFailed = "mail_failed";

    public const string SubscriptionStart = "subscription_start";
    public const string SubscriptionUpdate = "subscription_update";
    public const string SubscriptionEnd = "subscription_end";
    public const string Payment = "payment";
    public const string PaymentFailed = "payment_failed";
    public const string PaymentRefunded = "payment_refunded";
    public const string PaymentDisputed = "payment_disputed";
    public const string AccessGranted = "access_granted";
    public const string AccessRevoked = "access_revoked";

    public const string UserDisable = "user_disable";
    public const string UserEnable = "user_enable";
    public const string AccountUnlock = "account_unlock";
}
