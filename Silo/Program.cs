using System.Net;
using Learning.Hosting;
using Learning.Persistence;
using Learning.ServiceDefaults;
using Learning.Silo.Hosting;
using Orleans.Dashboard;
using OpenTelemetry.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A production silo: Redis clustering, grain state and the read model in PostgreSQL.
// `Learning.Silo migrate` applies the database schema and exits; a normal start applies it first too.
// `Learning.Silo --check` lists every configuration problem, or the identity the silo would take, and exits.
const string CheckArgument = "--check";
var checkOnly = args.Contains(CheckArgument);
var builder = Host.CreateApplicationBuilder(args.Where(a => a is not "migrate" and not CheckArgument).ToArray());
var cluster = ClusterSettings.Read(builder.Configuration);
var problems = cluster.Problems(forSilo: true, builder.Environment.IsDevelopment())
    .Concat(PostgresConnectionString.Problems(cluster.Postgres)).ToList();
var kubernetes = KubernetesHosting.Read(builder.Configuration, problems);
problems.AddRange(kubernetes.Problems(builder.Configuration, cluster));
builder.AddStructuredLogging();
// Business counters are recorded where the grains run: each silo can be scraped on Metrics:PrometheusPort.
var metricsPort = builder.Configuration.GetValue<int?>("Metrics:PrometheusPort");
builder.AddMetrics(metrics =>
{
    if (metricsPort is { } port)
    {
        metrics.AddPrometheusHttpListener(options =>
        {
            options.Host = builder.Configuration["Metrics:PrometheusHost"] ?? "localhost";
            options.Port = port;
        });
    }
});

builder.UseOrleans(silo =>
{
    if (problems.Count > 0)
    {
        // Never started: it only lets the grains' options be checked too, so every problem is listed at once.
        silo.UseLocalhostClustering().AddMemoryGrainStorage(StorageNames.Default).AddLearningGrains();
        return;
    }

    silo.UseRedisClustering(cluster.Redis!);
    if (kubernetes.Enabled)
    {
        KubernetesHosting.Apply(silo, cluster);
    }
    else
    {
        silo.Configure<Orleans.Configuration.ClusterOptions>(options =>
        {
            options.ClusterId = cluster.ClusterId;
            options.ServiceId = cluster.ServiceId;
        });
        var advertised = cluster.AdvertisedIp is { } ip ? IPAddress.Parse(ip) : IPAddress.Loopback;
        // Behind an advertised address other than loopback (a container's IP), listen on every interface.
        silo.ConfigureEndpoints(advertised, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
    }

    silo.ConfigureFastFailover(builder.Configuration);
    silo.Configure<Orleans.Configuration.SiloMessagingOptions>(options => options.ResponseTimeout = cluster.ResponseTimeout);
    if (cluster.Tls.IsConfigured)
    {
        silo.UseClusterTls(ClusterCertificates.Load(cluster.Tls, forSilo: true));
    }

    silo.AddPostgresPersistence(cluster.Postgres!);
    // Access deadlines (docs/access.md) wake user grains by reminder; Redis already holds the membership table.
    silo.UseRedisReminderService(options => options.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(cluster.Redis!));
    silo.AddLearningGrains();
    if (builder.Configuration.GetValue("Dashboard:Enabled", true))
    {
        // The dashboard's data grains live in the silos; the API serves its pages to admins.
        silo.AddDashboard();
    }
});

// Graceful shutdown (SIGTERM) deactivates grains, which stores unsaved heartbeats; give it time.
builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));

using var host = builder.Build();
problems.AddRange(ConfigurationProblems.Find(host.Services));
if (problems.Count > 0)
{
    ConfigurationProblems.Print(Console.Error, builder.Environment.EnvironmentName, problems.Distinct().ToList());
    return 1;
}

if (checkOnly)
{
    Console.WriteLine($"Configuration is valid for {builder.Environment.EnvironmentName}.");
    Console.WriteLine(SiloIdentity.Describe(host.Services, kubernetes));
    return 0;
}

var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Learning.Silo");
await DatabaseMigrator.MigrateAsync(cluster.Postgres!, logger);
if (args.Contains("migrate"))
{
    logger.LogInformation("Database schema is up to date");
    return 0;
}

await host.RunAsync();
return 0;
