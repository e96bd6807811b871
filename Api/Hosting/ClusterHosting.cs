using Learning.Hosting;
using Learning.Persistence;
using Learning.Playback;
using Orleans.Dashboard;
using Microsoft.Extensions.Options;

namespace Learning.Api.Hosting;

public static class ClusterHosting
{
    /// <summary>
    /// Embedded: a silo in this process (localhost clustering; PostgreSQL when configured, memory otherwise).
    /// Client: this process only talks to a cluster of separate silos, found through Redis, and reads the
    /// operators' tables in PostgreSQL itself.
    /// </summary>
    public static ClusterSettings AddLearningCluster(this WebApplicationBuilder builder)
    {
        var cluster = ClusterSettings.Read(builder.Configuration);
        var problems = cluster.Problems(forSilo: false, builder.Environment.IsDevelopment())
            .Concat(PostgresConnectionString.Problems(cluster.Postgres)).ToList();
        // Reported with every other configuration problem when the host starts (or by --check), not one at a time.
        builder.Services.AddSingleton<IValidateOptions<ClusterSettings>>(new KnownProblems<ClusterSettings>(problems));
        builder.Services.AddOptions<ClusterSettings>().ValidateOnStart();
        if (problems.Count > 0)
        {
            // Never started (validation fails first); it only lets the rest of the host be built and checked.
            builder.UseOrleans(silo =>
            {
                silo.UseLocalhostClustering().AddMemoryGrainStorage(StorageNames.Default).AddLearningGrains();
                if (DashboardSetup.IsEnabled(builder.Configuration))
                {
                    silo.AddDashboard();
                }
            });
            return cluster;
        }

        if (cluster.IsClient)
        {
            builder.UseOrleansClient(client => client
                .Configure<Orleans.Configuration.ClusterOptions>(options =>
                {
                    options.ClusterId = cluster.ClusterId;
                    options.ServiceId = cluster.ServiceId;
                })
                .Configure<Orleans.Configuration.ClientMessagingOptions>(options => options.ResponseTimeout = cluster.ResponseTimeout)
                .UseRedisClustering(cluster.Redis!)
                .AddDashboardWhenEnabled(builder.Configuration)
                .UseClusterTlsWhenConfigured(cluster.Tls));
            builder.Services.AddClusterExceptionTypes();
            builder.Services.AddPostgresReadModel(cluster.Postgres!);
            // The admin listings judge liveness with the same timeout the grains use.
            builder.Services.AddOptions<PlaybackOptions>().BindConfiguration(PlaybackOptions.Section);
            return cluster;
        }

        if (cluster.Postgres is { } schema)
        {
            // Registered before the silo so it runs first: the storage provider reads its queries when the silo starts.
            builder.Services.AddHostedService(sp => new DatabaseMigration(schema, sp.GetRequiredService<ILogger<DatabaseMigration>>()));
        }

        builder.UseOrleans(silo =>
        {
            // Nothing outside this process calls a co-hosted silo (the API is its client in-process): unless pinned, it
            // takes a free port and opens no gateway, so two of them, or one beside scripts/cluster.sh, never collide.
            var siloPort = builder.Configuration["Cluster:SiloPort"] is null ? FreeLoopbackPort() : cluster.SiloPort;
            var gatewayPort = builder.Configuration["Cluster:GatewayPort"] is null ? 0 : cluster.GatewayPort;
            silo.UseLocalhostClustering(siloPort, gatewayPort);
            silo.Configure<Orleans.Configuration.SiloMessagingOptions>(options => options.ResponseTimeout = cluster.ResponseTimeout);
            if (cluster.Postgres is { } postgres)
            {
                silo.AddPostgresPersistence(postgres);
            }
            else
            {
                ProcessMemoryGrainStorage.AddTo(silo, StorageNames.Default);
            }

            silo.AddLearningGrains();
            if (DashboardSetup.IsEnabled(builder.Configuration))
            {
                silo.AddDashboard();
            }
        });
        return cluster;
    }

    private static IClientBuilder UseClusterTlsWhenConfigured(this IClientBuilder client, ClusterTlsSettings tls) =>
        tls.IsConfigured ? client.UseClusterTls(ClusterCertificates.Load(tls, forSilo: false)) : client;

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Applies the schema before the co-hosted silo starts (hosted services start in registration order).</summary>
    private sealed class DatabaseMigration(string connectionString, ILogger<DatabaseMigration> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => DatabaseMigrator.MigrateAsync(connectionString, logger, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class KnownProblems<T>(IReadOnlyList<string> problems) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
