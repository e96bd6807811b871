namespace Learning.Email;

/// <summary>
/// How mail leaves the platform (section <c>Email</c>): through SMTP, as <c>.eml</c> files in a pickup folder, or
/// nowhere (<see cref="Discard"/>, for load tests). Development fills in what is missing (see
/// <see cref="EmailOptionsDefaults"/>); elsewhere the host refuses to start without a destination.
/// </summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The sender, e.g. <c>Learning &lt;no-reply@example.com&gt;</c>. Required outside Development with SMTP.</summary>
    public string From { get; set; } = "";

    /// <summary>
    /// Where mailed links point (scheme, host and optional path, e.g. <c>https://learn.example.com</c>), never the
    /// request's Host header. Required outside Development unless mail is discarded.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Folder receiving each message as an <c>.eml</c> file instead of SMTP; relative paths are under the content root.</summary>
    public string PickupDirectory { get; set; } = "";

    /// <summary>Accept and drop every message (load tests, which must not flood a mailbox or a disk).</summary>
    public bool Discard { get; set; }

    public MailRetryOptions Retry { get; set; } = new();

    /// <summary>How often a dispatcher looks for due mail; mail queued in the same process wakes it at once.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Messages a dispatcher claims at once and sends over one SMTP connection.</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>
    /// How long claimed mail is reserved for the dispatcher that claimed it. A dispatcher that dies (or outlives its
    /// lease) leaves its mail to another one once the lease expires, so the mail may go out twice: at-least-once.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long sent mail stays listed (without its body) before it is deleted. Failed mail stays.</summary>
    public TimeSpan SentRetention { get; set; } = TimeSpan.FromDays(7);

    public MailDelivery Delivery =>
        Discard ? MailDelivery.Discard
        : !string.IsNullOrWhiteSpace(Smtp.Host) ? MailDelivery.Smtp
        : !string.IsNullOrWhiteSpace(PickupDirectory) ? MailDelivery.PickupDirectory
        : MailDelivery.None;
}

public enum MailDelivery
{
    None,
    Smtp,
    PickupDirectory,
    Discard,
}

/// <summary>How the SMTP connection is secured (MailKit's <c>SecureSocketOptions</c> of the same names).</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text: only for a relay on the same host or a private network.</summary>
    None,

    /// <summary>Upgrade with STARTTLS, required (submission port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
}

/// <summary>Section <c>Email:Smtp</c>.</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "";

    /// <summary>Unset: 25, 587 or 465, by <see cref="Security"/>.</summary>
    public int? Port { get; set; }

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>Sign in with these (both or neither).</summary>
    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>How long one connect, sign-in or message may take before it counts as a transient failure.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public int EffectivePort => Port ?? Security switch
    {
        SmtpSecurity.None => 25,
        SmtpSecurity.SslOnConnect => 465,
        _ => 587,
    };
}

/// <summary>Section <c>Email:Retry</c>: transient failures are retried with capped exponential backoff and jitter.</summary>
public sealed class MailRetryOptions
{
    /// <summary>The first retry waits about this long; each later one about twice as long as the one before.</summary>
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>No retry waits longer than this.</summary>
    public TimeSpan BackoffCap { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Mail still undelivered this long after it was queued is given up (failed, audited).</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Attempts after which mail is given up; 0: no limit but <see cref="MaxAge"/>.</summary>
    public int MaxAttempts { get; set; }
}
