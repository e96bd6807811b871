using System.Net;
using Learning.Hosting;
using Learning.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A production silo: Redis clustering, grain state and the read model in PostgreSQL.
// `Learning.Silo migrate` applies the database schema and exits; a normal start applies it first too.
var builder = Host.CreateApplicationBuilder(args.Where(a => a != "migrate").ToArray());
var cluster = ClusterSettings.Read(builder.Configuration);
cluster.ThrowIfInvalid(forSilo: true);

builder.UseOrleans(silo =>
{
    silo.Configure<Orleans.Configuration.ClusterOptions>(options =>
    {
        options.ClusterId = cluster.ClusterId;
        options.ServiceId = cluster.ServiceId;
    });
    silo.UseRedisClustering(cluster.Redis!);
    var advertised = cluster.AdvertisedIp is { } ip ? IPAddress.Parse(ip) : IPAddress.Loopback;
    // Behind an advertised address other than loopback (a container's IP), listen on every interface.
    silo.ConfigureEndpoints(advertised, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
    silo.ConfigureFastFailover(builder.Configuration);
    silo.Configure<Orleans.Configuration.SiloMessagingOptions>(options => options.ResponseTimeout = cluster.ResponseTimeout);
    silo.AddPostgresPersistence(cluster.Postgres!);
    silo.AddLearningGrains();
});

// Graceful shutdown (SIGTERM) deactivates grains, which stores unsaved heartbeats; give it time.
builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));

using var host = builder.Build();
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Learning.Silo");
await DatabaseMigrator.MigrateAsync(cluster.Postgres!, logger);
if (args.Contains("migrate"))
{
    logger.LogInformation("Database schema is up to date");
    return;
}

await host.RunAsync();
