using Learning.ReadModel;

namespace Learning.Email;

/// <summary>
/// The queue of the embedded default (in-memory storage): it lives as long as the process, like the grain state that
/// queued the mail. Sent mail is kept, without its body, for <see cref="EmailOptions.SentRetention"/> so that a grain
/// handing the same mail over again does not send it twice.
/// </summary>
public sealed class InMemoryMailQueue(MailSignal signal) : IMailQueue
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Entry> _mails = [];

    public Task EnqueueAsync(IReadOnlyCollection<OutgoingMail> mails, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var mail in mails)
            {
                _mails.TryAdd(mail.Id, new Entry(mail) { NextAttemptAt = mail.CreatedAt });
            }
        }

        if (mails.Count > 0)
        {
            signal.Notify();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ClaimedMail>> ClaimDueAsync(int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var claimed = _mails.Values
                .Where(e => e.Status == MailStatus.Queued && e.NextAttemptAt <= now && !(e.LockedUntil > now))
                .OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Mail.Id)
                .Take(max)
                .Select(e =>
                {
                    e.Attempts++;
                    e.LockedUntil = now + lease;
                    return new ClaimedMail(e.Mail, e.Attempts);
                })
                .ToList();
            return Task.FromResult<IReadOnlyList<ClaimedMail>>(claimed);
        }
    }

    public Task MarkSentAsync(Guid id, DateTimeOffset sentAt, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_mails.TryGetValue(id, out var entry) && entry.Status == MailStatus.Queued)
            {
                entry.Finish(MailStatus.Sent, sentAt, error: null);
            }
        }

        return Task.CompletedTask;
    }

    public Task ScheduleRetryAsync(ClaimedMail claim, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (Current(claim) is { } entry)
            {
                entry.NextAttemptAt = nextAttemptAt;
                entry.LockedUntil = null;
                entry.LastError = error;
            }
        }

        return Task.CompletedTask;
    }

    public Task MarkFailedAsync(ClaimedMail claim, DateTimeOffset failedAt, string error, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Current(claim)?.Finish(MailStatus.Failed, failedAt, error);
        }

        return Task.CompletedTask;
    }

    public Task<int> PurgeSentAsync(DateTimeOffset sentBefore, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var old = _mails.Values.Where(e => e.Status == MailStatus.Sent && e.FinishedAt < sentBefore).Select(e => e.Mail.Id).ToList();
            old.ForEach(id => _mails.Remove(id));
            return Task.FromResult(old.Count);
        }
    }

    public Task<Page<MailRecord>> ListAsync(MailStatus? status, int limit, PageCursor? cursor, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var rows = _mails.Values
                .Where(e => (status is null || e.Status == status) && Paging.IsAfter(e.Mail.CreatedAt, e.Mail.Id, cursor))
                .OrderByDescending(e => e.Mail.CreatedAt).ThenByDescending(e => e.Mail.Id)
                .Take(limit + 1)
                .Select(e => e.ToRecord())
                .ToList();
            return Task.FromResult(Paging.Cut(rows, limit, r => new PageCursor(r.CreatedAt, r.Id)));
        }
    }

    private Entry? Current(ClaimedMail claim) =>
        _mails.TryGetValue(claim.Mail.Id, out var entry) && entry.Status == MailStatus.Queued && entry.Attempts == claim.Attempt ? entry : null;

    private sealed class Entry(OutgoingMail mail)
    {
        public OutgoingMail Mail { get; private set; } = mail;

        public MailStatus Status { get; private set; }

        public int Attempts { get; set; }

        public DateTimeOffset NextAttemptAt { get; set; }

        public DateTimeOffset? LockedUntil { get; set; }

        public string? LastError { get; set; }

        public DateTimeOffset? FinishedAt { get; private set; }

        public void Finish(MailStatus status, DateTimeOffset at, string? error)
        {
            Status = status;
            FinishedAt = at;
            LastError = error;
            LockedUntil = null;
            Mail = Mail with { TextBody = "", HtmlBody = "" };
        }

        public MailRecord ToRecord() => new(
            Mail.Id, Mail.UserId, Mail.To, Mail.Kind, Mail.Subject, Status, Attempts, Mail.CreatedAt, NextAttemptAt,
            Status == MailStatus.Sent ? FinishedAt : null, Status == MailStatus.Failed ? FinishedAt : null, LastError);
    }
}
