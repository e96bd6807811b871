using System.Threading.Channels;

namespace Learning.Email;

/// <summary>
/// Wakes this process's dispatcher when mail was just queued here, so it goes out at once rather than at the next
/// poll. Mail queued by another silo waits for this one's poll (or is sent by that silo's own dispatcher).
/// </summary>
public sealed class MailSignal
{
    private readonly Channel<bool> _wakeUps = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _wakeUps.Writer.TryWrite(true);

    public async Task WaitAsync(CancellationToken cancellationToken) => await _wakeUps.Reader.ReadAsync(cancellationToken);
}
