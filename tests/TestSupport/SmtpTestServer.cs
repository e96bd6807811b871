using System.Buffers;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Learning.TestSupport;

/// <summary>
/// A real SMTP server in the test process, on a free loopback port, keeping every message it accepts (parsed with
/// MimeKit) for tests to read. It can be stopped and started again on the same port (an outage: connections are
/// refused meanwhile) and can refuse chosen recipients for good (<c>550</c>).
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<MimeMessage> _messages = [];
    private readonly HashSet<string> _refused = new(StringComparer.OrdinalIgnoreCase);
    private CancellationTokenSource? _running;
    private Task? _serving;

    private SmtpTestServer(int port) => Port = port;

    public string Host => "127.0.0.1";

    public int Port { get; }

    public bool IsRunning => _running is not null;

    public IReadOnlyList<MimeMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return _messages.ToList();
            }
        }
    }

    public static async Task<SmtpTestServer> StartAsync()
    {
        var server = new SmtpTestServer(FreePort.Next());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Answers <c>550</c> to <c>RCPT TO</c> this address from now on.</summary>
    public void RefuseRecipient(string address)
    {
        lock (_gate)
        {
            _refused.Add(address);
        }
    }

    /// <summary>Closes the port: connection attempts fail until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_running is null)
        {
            return;
        }

        await _running.CancelAsync();
        try
        {
            await _serving!;
        }
        catch (OperationCanceledException)
        {
        }

        _running.Dispose();
        _running = null;
        _serving = null;
    }

    public async Task StartAgainAsync()
    {
        if (_running is not null)
        {
            return;
        }

        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.test")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new DelegatingMailboxFilter((to, _) => !IsRefused(to)));
        _running = new CancellationTokenSource();
        _serving = new SmtpServer.SmtpServer(options, services).StartAsync(_running.Token);
        await WaitUntilListeningAsync();
    }

    /// <summary>Waits (in real time: this is I/O) until <paramref name="done"/> holds for the messages received so far.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(Func<IReadOnlyList<MimeMessage>, bool> done, TimeSpan? timeout = null)
    {
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var messages = Messages;
            if (done(messages))
            {
                return messages;
            }

            if (limit.IsCancellationRequested)
            {
                throw new TimeoutException($"The test SMTP server holds {messages.Count} message(s); the awaited condition never held.");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    public Task<IReadOnlyList<MimeMessage>> WaitForCountAsync(int count, TimeSpan? timeout = null) =>
        WaitForAsync(messages => messages.Count >= count, timeout);

    public async ValueTask DisposeAsync() => await StopAsync();

    private bool IsRefused(IMailbox mailbox)
    {
        lock (_gate)
        {
            return _refused.Contains(mailbox.AsAddress());
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        for (var i = 0; i < 250; i++)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (_serving is { IsCompleted: false })
            {
                await Task.Delay(20);
            }
        }

        throw new InvalidOperationException($"The test SMTP server did not listen on port {Port}.");
    }

    private sealed class Store(SmtpTestServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            lock (server._gate)
            {
                server._messages.Add(message);
            }

            return SmtpResponse.Ok;
        }
    }
}
