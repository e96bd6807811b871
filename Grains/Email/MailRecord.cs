namespace Learning.Email;

public enum MailStatus
{
    Queued,
    Sent,
    Failed,
}

/// <summary>What operators see of a mail: never its body, which holds tokens and codes.</summary>
public sealed record MailRecord(
    Guid Id, Guid UserId, string To, string Kind, string Subject, MailStatus Status, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt, DateTimeOffset? SentAt, DateTimeOffset? FailedAt, string? LastError);

public static class MailStatusNames
{
    /// <summary>The lower-case name in tables and listings: <c>queued</c>, <c>sent</c>, <c>failed</c>.</summary>
    public static string Of(MailStatus status) => status switch
    {
        MailStatus.Queued => "queued",
        MailStatus.Sent => "sent",
        _ => "failed",
    };

    public static MailStatus Parse(string name) => name switch
    {
        "queued" => MailStatus.Queued,
        "sent" => MailStatus.Sent,
        "failed" => MailStatus.Failed,
        _ => throw new FormatException($"Unknown mail status '{name}'."),
    };
}
