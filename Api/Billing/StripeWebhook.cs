using System.Text;
using Learning.Api.Http;
using Learning.Billing;
using Learning.Common;
using Learning.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Stripe;

namespace Learning.Api.Billing;

/// <summary>
/// Stripe's webhook. The body is read raw (no model binding: the signature is over the exact bytes), verified with
/// <c>Billing:WebhookSecret</c> against the business clock (5 minutes' tolerance), recorded once by event id, and only
/// then answered 200; the processor applies it afterwards. A wrong, missing or stale signature changes nothing.
/// </summary>
public static partial class StripeWebhook
{
    /// <summary>The contract's own limit for this route (the JSON routes' 64 KiB does not apply).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> Receive(
        HttpContext http, IBillingEventStore store, BillingSignal signal, IOptions<BillingOptions> options,
        [FromKeyedServices(Clock.ServiceKey)] TimeProvider clock, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(StripeWebhook));
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
        {
            serverLimit.MaxRequestBodySize = MaxBodyBytes + 1;
        }

        var body = await ReadAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return TooLarge();
        }

        var now = clock.GetUtcNow();
        var signature = http.Request.Headers["Stripe-Signature"].ToString();
        if (!IsSigned(body, signature, options.Value.WebhookSecret, now, out var why))
        {
            LogRejected(logger, why);
            return ApiProblem.Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidSignature,
                "The Stripe-Signature header is missing, wrong or older than 5 minutes.");
        }

        if (StripeEventTranslator.ReadHeader(body) is not { } header)
        {
            return ApiProblem.Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson, "The body is not a Stripe event.");
        }

        if (!StripeEventTranslator.HandledTypes.Contains(header.Type))
        {
            LogIgnored(logger, header.Id, header.Type);
            return TypedResults.Ok(new WebhookResponse(true));
        }

        // Stripe retries until it gets a 2xx: a store that is down answers 5xx on purpose, and nothing is lost.
        var recorded = await store.RecordAsync(new ReceivedStripeEvent(header.Id, header.Type, header.Created, body, now), http.RequestAborted);
        if (recorded)
        {
            signal.Notify();
        }

        LogRecorded(logger, header.Id, header.Type, !recorded);
        return TypedResults.Ok(new WebhookResponse(true));
    }

    /// <summary>Stripe's scheme: <c>t=…,v1=…</c>, HMAC-SHA256 of <c>"{t}.{body}"</c>, checked by Stripe.net against our clock.</summary>
    public static bool IsSigned(string body, string? header, string? secret, DateTimeOffset now, out string why)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            why = "Billing:WebhookSecret is not set";
            return false;
        }

        if (string.IsNullOrWhiteSpace(header))
        {
            why = "no Stripe-Signature header";
            return false;
        }

        try
        {
            EventUtility.ValidateSignature(body, header, secret, (long)SignatureToleranceSeconds, now.ToUnixTimeSeconds());
            // Stripe.net allows a timestamp as far in the future as in the past; a signature from the future is not Stripe's.
            if (TimestampOf(header) is { } signedAt && signedAt - now.ToUnixTimeSeconds() > SignatureToleranceSeconds)
            {
                why = "signature timestamp in the future";
                return false;
            }

            why = "";
            return true;
        }
        catch (StripeException exception)
        {
            why = exception.Message;
            return false;
        }
    }

    private static double SignatureToleranceSeconds => BillingEndpoints.SignatureTolerance.TotalSeconds;

    private static long? TimestampOf(string header) =>
        header.Split(',').Select(p => p.Trim().Split('=', 2)).FirstOrDefault(p => p.Length == 2 && p[0] == "t") is { } t
        && long.TryParse(t[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : null;

    /// <summary>The body as text, or null past <see cref="MaxBodyBytes"/> (chunked bodies have no length up front).</summary>
    private static async Task<string?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static ProblemHttpResult TooLarge() =>
        ApiProblem.Create(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, $"The request body must not exceed {MaxBodyBytes} bytes.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe webhook rejected: {Why}")]
    private static partial void LogRejected(ILogger logger, string why);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stripe event {EventId} ({EventType}) verified and ignored (not handled)")]
    private static partial void LogIgnored(ILogger logger, string eventId, string eventType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {EventId} ({EventType}) recorded (repeat: {Repeat})")]
    private static partial void LogRecorded(ILogger logger, string eventId, string eventType, bool repeat);
}
