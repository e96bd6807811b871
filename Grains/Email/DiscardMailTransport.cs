using MimeKit;

namespace Learning.Email;

/// <summary>Accepts every message and drops it (<c>Email:Discard</c>, for load tests).</summary>
public sealed class DiscardMailTransport : IMailTransport, IMailSession
{
    public Task<IMailSession> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<IMailSession>(this);

    public Task SendAsync(MimeMessage message, CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
