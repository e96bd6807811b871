using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Learning.ServiceDefaults;

/// <summary>
/// What every process of this service shares (the API and the silos): structured JSON logs through Serilog and
/// OpenTelemetry metrics with the service's own meter and Orleans'. Each host adds its exporter.
/// </summary>
public static class ObservabilityDefaults
{
    /// <summary>The meter the grains record business events on.</summary>
    public const string BusinessMeter = "Learning";

    private const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>
    /// JSON log events on the console, and in rolling files (10 MB × 5) when <c>Logging:File:Path</c> is set.
    /// Levels come from the <c>Serilog</c> section; these defaults keep Orleans' and ASP.NET Core's chatter out.
    /// Serilog's static logger is left alone: each host logs through its own (tests run several hosts in one process).
    /// </summary>
    public static IHostApplicationBuilder AddStructuredLogging(this IHostApplicationBuilder builder)
    {
        var filePath = builder.Configuration["Logging:File:Path"];
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
                .MinimumLevel.Override("Polly", LogEventLevel.Warning)
                .ReadFrom.Configuration(builder.Configuration)
                .Filter.ByExcluding(IsWatchdogStartRace)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Application", builder.Environment.ApplicationName)
                // Writing happens on a background thread: a request never waits for the console or the disk (the
                // load tester measured synchronous console writes costing ~40 % of heartbeat throughput).
                .WriteTo.Async(sinks =>
                {
                    sinks.Console(new RenderedCompactJsonFormatter());
                    if (!string.IsNullOrWhiteSpace(filePath))
                    {
                        sinks.File(new RenderedCompactJsonFormatter(), filePath,
                            fileSizeLimitBytes: 10 * 1024 * 1024, rollOnFileSizeLimit: true, retainedFileCountLimit: 5);
                    }
                });
        }, preserveStaticLogger: true);
        return builder;
    }

    /// <summary>
    /// Orleans' watchdog starts its platform thread before it stamps the participant check's start, so on a busy machine
    /// its first look measures from timestamp zero and warns "Participant check thread has not completed for" the
    /// machine's uptime (e.g. 00:26:44) as the silo starts. A stall longer than this process has lived is that race,
    /// never a real stall, so only that warning is dropped; a genuine one still gets through.
    /// </summary>
    private static bool IsWatchdogStartRace(LogEvent logEvent) =>
        logEvent.MessageTemplate.Text.StartsWith("Participant check thread has not completed", StringComparison.Ordinal)
        && logEvent.Properties.TryGetValue("TimeSinceLastTick", out var value)
        && value is ScalarValue { Value: TimeSpan stall }
        && stall > DateTimeOffset.Now - ProcessStart;

    private static readonly DateTimeOffset ProcessStart = System.Diagnostics.Process.GetCurrentProcess().StartTime;

    /// <summary>
    /// Metrics of the runtime, Orleans and the business meter; <paramref name="configure"/> adds instrumentation and
    /// exporters the host serves. With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set they are also pushed over OTLP.
    /// </summary>
    public static IHostApplicationBuilder AddMetrics(this IHostApplicationBuilder builder, Action<MeterProviderBuilder> configure)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(BusinessMeter, OrleansMeter).AddRuntimeInstrumentation();
                // The view needs this host's IMeterFactory, known once the container is built (the hosting builder is deferred).
                ((IDeferredMeterProviderBuilder)metrics).Configure((services, provider) =>
                {
                    var own = services.GetRequiredService<IMeterFactory>();
                    provider.AddView(instrument => OwnMetersOnly(instrument, own));
                });
                configure(metrics);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        return builder;
    }

    /// <summary>
    /// The SDK subscribes to meters by name, process-wide, so a host would also export the instruments of every other
    /// host in the process that uses the same meter names (tests run several hosts at once). Meters made through a
    /// host's <see cref="IMeterFactory"/> carry that factory as their <see cref="Meter.Scope"/>: instruments of another
    /// host's factory are dropped. Meters made without a factory (static ones, the runtime's) stay process-wide.
    /// </summary>
    internal static MetricStreamConfiguration? OwnMetersOnly(Instrument instrument, IMeterFactory own) =>
        instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, own) ? MetricStreamConfiguration.Drop : null;
}
