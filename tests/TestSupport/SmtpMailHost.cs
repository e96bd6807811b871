using Learning.Email;
using Learning.Hosting;
using Learning.Persistence.Email;
using Learning.ReadModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Learning.TestSupport;

/// <summary>
/// What a silo runs for mail, alone: the queue (memory, or PostgreSQL when given a connection string), the real
/// MailKit transport pointed at an <see cref="SmtpTestServer"/> (or the pickup folder the settings name), the
/// dispatcher, and an in-memory read model catching its audit entries, on a business clock the test moves.
/// </summary>
public sealed class SmtpMailHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly LogCapture _logs;
    private bool _started;

    private SmtpMailHost(IHost host, FakeTimeProvider clock, LogCapture logs)
    {
        _host = host;
        Clock = clock;
        _logs = logs;
    }

    /// <summary>Every line logged so far, with its exception: tests check that no token or code reaches a log.</summary>
    public string Logs => _logs.Text;

    public FakeTimeProvider Clock { get; }

    public IServiceProvider Services => _host.Services;

    public IMailQueue Queue => Services.GetRequiredService<IMailQueue>();

    public IMailComposer Composer => Services.GetRequiredService<IMailComposer>();

    public IAuditQuery Audit => Services.GetRequiredService<IAuditQuery>();

    public MailDispatcher Dispatcher => Services.GetServices<IHostedService>().OfType<MailDispatcher>().Single();

    /// <summary>A host whose dispatcher runs (unless <paramref name="run"/> is false: the test then calls it itself).</summary>
    public static async Task<SmtpMailHost> StartAsync(
        SmtpTestServer? smtp, FakeTimeProvider clock, string? postgres = null, IDictionary<string, string?>? settings = null, bool run = true)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        var defaults = new Dictionary<string, string?>
        {
            ["Email:PublicBaseUrl"] = "http://learn.test",
            ["Email:From"] = "Learning <no-reply@learn.test>",
            ["Email:PollInterval"] = "00:00:01",
        };
        if (smtp is not null)
        {
            defaults["Email:Smtp:Host"] = smtp.Host;
            defaults["Email:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            defaults["Email:Smtp:Security"] = nameof(SmtpSecurity.None);
            defaults["Email:Smtp:Timeout"] = "00:00:05";
        }

        builder.Configuration.AddInMemoryCollection(defaults);
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        var logs = new LogCapture();
        builder.Services.AddLogging(logging => logging.AddProvider(logs));
        builder.Services.AddKeyedSingleton<TimeProvider>(Learning.Hosting.Clock.ServiceKey, clock);
        builder.Services.AddInMemoryReadModel();
        if (postgres is not null)
        {
            builder.Services.AddPostgresMailQueue(postgres);
        }

        builder.Services.AddLearningMail();
        var host = new SmtpMailHost(builder.Build(), clock, logs);
        if (run)
        {
            await host._host.StartAsync();
            host._started = true;
        }

        return host;
    }

    /// <summary>
    /// Moves the business clock by <paramref name="step"/> until <paramref name="done"/> holds, giving the dispatcher a
    /// moment of real time after each step to act on it (its sends are real I/O).
    /// </summary>
    public async Task AdvanceUntilAsync(Func<Task<bool>> done, TimeSpan step, int maxSteps = 200)
    {
        for (var i = 0; i < maxSteps; i++)
        {
            if (await done())
            {
                return;
            }

            Clock.Advance(step);
            await Task.Delay(50);
        }

        Assert.Fail($"The condition did not hold within {maxSteps} steps of {step}.");
    }

    /// <summary>Lets <paramref name="steps"/> steps of business time pass, each giving the dispatcher a moment to act.</summary>
    public async Task AdvanceAsync(TimeSpan step, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            Clock.Advance(step);
            await Task.Delay(50);
        }
    }

    /// <summary>Waits in real time (the dispatcher's sends are I/O) until <paramref name="done"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> done, TimeSpan? timeout = null)
    {
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (!await done())
        {
            if (limit.IsCancellationRequested)
            {
                Assert.Fail("The condition did not hold in time.");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    public async Task<IReadOnlyList<MailRecord>> ListAsync(MailStatus? status = null) =>
        (await Queue.ListAsync(status, 200, null)).Results;

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await _host.StopAsync();
        }

        _host.Dispose();
    }

    private sealed class LogCapture : ILoggerProvider, ILogger
    {
        private readonly System.Text.StringBuilder _text = new();

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_text)
            {
                _text.AppendLine(formatter(state, exception)).AppendLine(exception?.ToString());
            }
        }

        public void Dispose()
        {
        }
    }
}
