using Learning.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace Learning.Api.Http;

/// <summary>
/// Builds the contract's error bodies: RFC 9457 problem+json plus the <c>error</c> and <c>message</c>
/// members the original clients read.
/// </summary>
public static class ApiProblem
{
    public static ProblemHttpResult Create(int status, string error, string message, IDictionary<string, object?>? extra = null)
    {
        var extensions = new Dictionary<string, object?> { ["error"] = error, ["message"] = message };
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                extensions[key] = value;
            }
        }

        return TypedResults.Problem(
            detail: message,
            statusCode: status,
            title: ReasonPhrases.GetReasonPhrase(status),
            type: TypeOf(status),
            extensions: extensions);
    }

    /// <summary>
    /// The <c>type</c> of a problem with this status: the section of the RFC defining the status, as ASP.NET Core's
    /// problem details service writes for the statuses it knows (it knows no 429, which RFC 6585 defines).
    /// </summary>
    public static string TypeOf(int status) => status switch
    {
        StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
        >= 400 and <= 417 => $"https://tools.ietf.org/html/rfc9110#section-15.5.{status - 399}",
        >= 500 and <= 505 => $"https://tools.ietf.org/html/rfc9110#section-15.6.{status - 499}",
        _ => "about:blank",
    };

    /// <summary>A grain's refusal as HTTP. Sets Retry-After when the refusal carries one.</summary>
    public static ProblemHttpResult From(Failure failure, HttpContext context)
    {
        var extra = new Dictionary<string, object?>();
        if (failure.Errors is not null)
        {
            extra["errors"] = failure.Errors;
        }

        if (failure.ActiveDevice is { } device)
        {
            extra["active_device"] = new Dictionary<string, object?>
            {
                ["id"] = device.Id, ["device_name"] = device.DeviceName, ["platform"] = device.Platform,
            };
        }
        else if (failure.ActiveDeviceName is { } deviceName)
        {
            extra["active_device"] = deviceName;
        }

        if (failure.Reason is { } reason)
        {
            extra["reason"] = reason;
        }

        if (failure.AttemptsLeft is { } attemptsLeft)
        {
            extra["attempts_left"] = attemptsLeft;
        }

        if (failure.RetryAfterSeconds is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Create(StatusOf(failure.Code), failure.Code, failure.Message, extra);
    }

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors) =>
        Create(StatusCodes.Status400BadRequest, ErrorCodes.ValidationError, "The request is not valid.",
            new Dictionary<string, object?> { ["errors"] = errors });

    /// <summary>The HTTP status of each machine code, as the contract lists them.</summary>
    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.SubscriptionRequired => StatusCodes.Status403Forbidden,
        ErrorCodes.GrantNotFound => StatusCodes.Status404NotFound,
        ErrorCodes.ValidationError or ErrorCodes.InvalidJson or ErrorCodes.InvalidCode
            or ErrorCodes.InvalidSignature => StatusCodes.Status400BadRequest,
        ErrorCodes.NotAuthenticated or ErrorCodes.InvalidCredentials or ErrorCodes.InvalidToken
            or ErrorCodes.TokenReused or ErrorCodes.TokenRevoked => StatusCodes.Status401Unauthorized,
        ErrorCodes.Forbidden or ErrorCodes.DeviceNotActive or ErrorCodes.EmailNotVerified
            or ErrorCodes.AccountDisabled => StatusCodes.Status403Forbidden,
        ErrorCodes.NotFound or ErrorCodes.CourseNotFound or ErrorCodes.LessonNotFound
            or ErrorCodes.DeviceNotFound or ErrorCodes.SessionNotFound or ErrorCodes.UserNotFound
            or ErrorCodes.MediaUnavailable or ErrorCodes.ConfirmationNotFound
            or ErrorCodes.NoBillingAccount => StatusCodes.Status404NotFound,
        ErrorCodes.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        ErrorCodes.EmailTaken or ErrorCodes.ActiveDeviceExists or ErrorCodes.SessionExists
            or ErrorCodes.OrderTaken or ErrorCodes.CourseNotEmpty
            or ErrorCodes.AlreadySubscribed => StatusCodes.Status409Conflict,
        ErrorCodes.SessionExpired or ErrorCodes.CodeExpired => StatusCodes.Status410Gone,
        ErrorCodes.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ErrorCodes.AccountLocked or ErrorCodes.RateLimited or ErrorCodes.ResendTooSoon => StatusCodes.Status429TooManyRequests,
        ErrorCodes.ServiceUnavailable or ErrorCodes.BillingUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The generic code for a bare status, used for responses the framework produced without a body.</summary>
    public static (string Error, string Message) ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => (ErrorCodes.ValidationError, "The request is not valid."),
        StatusCodes.Status401Unauthorized => (ErrorCodes.NotAuthenticated, "Authentication is required."),
        StatusCodes.Status403Forbidden => (ErrorCodes.Forbidden, "You do not have permission to do this."),
        StatusCodes.Status404NotFound => (ErrorCodes.NotFound, "There is nothing at this address."),
        StatusCodes.Status405MethodNotAllowed => (ErrorCodes.MethodNotAllowed, "This address does not accept that method."),
        StatusCodes.Status413PayloadTooLarge => (ErrorCodes.PayloadTooLarge, "The request body is too large."),
        StatusCodes.Status415UnsupportedMediaType => (ErrorCodes.UnsupportedMediaType, "The request body must be application/json."),
        StatusCodes.Status429TooManyRequests => (ErrorCodes.RateLimited, "Too many requests; slow down."),
        StatusCodes.Status503ServiceUnavailable => (ErrorCodes.ServiceUnavailable, "The service is temporarily unavailable; retry shortly."),
        _ => (ErrorCodes.InternalError, "Something went wrong on our side."),
    };

    public static ProblemHttpResult ForStatusCode(int status)
    {
        var (error, message) = ForStatus(status);
        return Create(status, error, message);
    }
}

/// <summary>Thrown where a problem is found before an endpoint runs (body binding); the exception handler writes it.</summary>
public sealed class ApiProblemException(int status, string error, string message, IDictionary<string, string[]>? errors = null)
    : Exception(message)
{
    public int Status { get; } = status;

    public string Error { get; } = error;

    public IDictionary<string, string[]>? Errors { get; } = errors;
}
