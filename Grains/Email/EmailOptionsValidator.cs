using Learning.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Learning.Email;

internal sealed class EmailOptionsValidator(IHostEnvironment environment) : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        var problems = new List<string>();
        var development = environment.IsDevelopment();
        var smtp = options.Smtp;
        if (options.Discard)
        {
            // Nothing is sent, so no destination, sender or link base is needed.
        }
        else if (!string.IsNullOrWhiteSpace(smtp.Host) && !string.IsNullOrWhiteSpace(options.PickupDirectory))
        {
            problems.Add("Email:Smtp:Host and Email:PickupDirectory are both set: choose SMTP or .eml files.");
        }
        else if (options.Delivery == MailDelivery.None)
        {
            problems.Add("Email:Smtp:Host (or Email:PickupDirectory for .eml files, or Email:Discard=true to drop mail in load tests) " +
                         "is required outside Development.");
        }

        if (options.Delivery == MailDelivery.Smtp)
        {
            problems.AddRange(SmtpProblems(smtp, development));
            if (string.IsNullOrWhiteSpace(options.From))
            {
                problems.Add("Email:From is required outside Development when mail goes out through SMTP.");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.From) && !IsSingleAddress(options.From))
        {
            problems.Add("Email:From must be one valid address, e.g. Learning <no-reply@example.com>.");
        }

        if (string.IsNullOrWhiteSpace(options.PublicBaseUrl))
        {
            if (!options.Discard && !development)
            {
                problems.Add("Email:PublicBaseUrl is required outside Development: mailed links start with it (e.g. https://learn.example.com).");
            }
        }
        else if (!(Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                   && uri.Query.Length == 0 && uri.Fragment.Length == 0))
        {
            problems.Add("Email:PublicBaseUrl must be an absolute http or https URL without query or fragment.");
        }

        problems.AddRange(RetryProblems(options.Retry));
        if (options.PollInterval < TimeSpan.FromMilliseconds(100) || options.PollInterval > TimeSpan.FromMinutes(1))
        {
            problems.Add("Email:PollInterval must be between 00:00:00.1 and 00:01:00.");
        }

        if (options.BatchSize is < 1 or > 1000)
        {
            problems.Add("Email:BatchSize must be between 1 and 1000.");
        }

        if (options.Lease < 2 * smtp.Timeout)
        {
            problems.Add("Email:Lease must be at least twice Email:Smtp:Timeout: a shorter lease lets another silo send mail still being sent.");
        }

        if (options.SentRetention <= TimeSpan.Zero)
        {
            problems.Add("Email:SentRetention must be positive.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static IEnumerable<string> SmtpProblems(SmtpOptions smtp, bool development)
    {
        if (smtp.Port is < 1 or > 65535)
        {
            yield return "Email:Smtp:Port must be between 1 and 65535.";
        }

        if (string.IsNullOrEmpty(smtp.Username) != string.IsNullOrEmpty(smtp.Password))
        {
            yield return "Email:Smtp:Username and Email:Smtp:Password must be set together.";
        }

        if (!development && smtp.Password.Length > 0 && SampleValues.HasSampleMarker(smtp.Password))
        {
            yield return "Email:Smtp:Password looks like a sample value; use the relay's real password.";
        }

        if (smtp.Timeout <= TimeSpan.Zero)
        {
            yield return "Email:Smtp:Timeout must be positive.";
        }
    }

    private static IEnumerable<string> RetryProblems(MailRetryOptions retry)
    {
        if (retry.BackoffBase <= TimeSpan.Zero)
        {
            yield return "Email:Retry:BackoffBase must be positive.";
        }

        if (retry.BackoffCap < retry.BackoffBase)
        {
            yield return "Email:Retry:BackoffCap must be at least Email:Retry:BackoffBase.";
        }

        if (retry.MaxAge <= TimeSpan.Zero)
        {
            yield return "Email:Retry:MaxAge must be positive.";
        }

        if (retry.MaxAttempts < 0)
        {
            yield return "Email:Retry:MaxAttempts must be 0 (no limit) or more.";
        }
    }

    private static bool IsSingleAddress(string value) =>
        InternetAddressList.TryParse(value, out var list) && list.Count == 1 && list[0] is MailboxAddress { Address: var address }
        && address.Contains('@', StringComparison.Ordinal);
}
