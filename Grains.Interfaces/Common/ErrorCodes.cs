namespace Learning.Common;

/// <summary>The machine codes of the REST contract (<c>error</c> in every problem body).</summary>
public static class ErrorCodes
{
    public const string ValidationError = "validation_error";
    public const string InvalidJson = "invalid_json";
    public const string NotAuthenticated = "not_authenticated";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string RateLimited = "rate_limited";
    public const string ServiceUnavailable = "service_unavailable";
    public const string InternalError = "internal_error";

    public const string EmailTaken = "email_taken";
    public const string InvalidCredentials = "invalid_credentials";
    public const string AccountLocked = "account_locked";
    public const string InvalidToken = "invalid_token";
    public const string TokenReused = "token_reused";
    public const string TokenRevoked = "token_revoked";
    public const string EmailNotVerified = "email_not_verified";
    public const string AccountDisabled = "account_disabled";
    public const string ResendTooSoon = "resend_too_soon";

    public const string UserNotFound = "user_not_found";

    public const string CourseNotFound = "course_not_found";
    public const string LessonNotFound = "lesson_not_found";
    public const string OrderTaken = "order_taken";
    public const string CourseNotEmpty = "course_not_empty";
    public const string MediaUnavailable = "media_unavailable";

    public const string ActiveDeviceExists = "active_device_exists";
    public const string DeviceNotFound = "device_not_found";
    public const string DeviceNotActive = "device_not_active";
    public const string InvalidCode = "invalid_code";
    public const string CodeExpired = "code_expired";
    public const string ConfirmationNotFound = "confirmation_not_found";

    public const string SessionExists = "session_exists";
    public const string SessionNotFound = "session_not_found";
    public const string SessionExpired = "session_expired";

    public const string SubscriptionRequired = "subscription_required";
    public const string AlreadySubscribed = "already_subscribed";
    public const string BillingUnavailable = "billing_unavailable";
    public const string NoBillingAccount = "no_billing_account";
    public const string InvalidSignature = "invalid_signature";
    public const string GrantNotFound = "grant_not_found";
}
