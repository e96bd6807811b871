using Learning.Catalog;
using Learning.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using StackExchange.Redis;

namespace Learning.Api.Health;

/// <summary>
/// <c>/health/live</c>: the process runs. <c>/health/ready</c> (and <c>/health</c>): the dependencies of this mode
/// answer — PostgreSQL, Redis and the Orleans cluster — each reported, and <c>not_configured</c> when unused.
/// </summary>
public static class HealthEndpoints
{
    private const string Ready = "ready";
    private static readonly string[] Dependencies = ["database", "redis", "orleans"];

    public static IServiceCollection AddLearningHealthChecks(this IServiceCollection services, ClusterSettings cluster)
    {
        var checks = services.AddHealthChecks()
            .AddCheck<OrleansHealthCheck>("orleans", tags: [Ready], timeout: TimeSpan.FromSeconds(5));
        if (cluster.Postgres is not null)
        {
            checks.AddCheck<PostgresHealthCheck>("database", tags: [Ready], timeout: TimeSpan.FromSeconds(5));
        }

        if (cluster.IsClient && cluster.Redis is { } redis)
        {
            services.AddSingleton(new RedisHealthCheck(redis));
            checks.AddCheck<RedisHealthCheck>("redis", tags: [Ready], timeout: TimeSpan.FromSeconds(5));
        }

        return services;
    }

    public static IEndpointRouteBuilder MapLearningHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new LivenessResponse("healthy")))
            .WithTags("Operations").WithSummary("The process runs");
        // Handlers rather than MapHealthChecks, so the OpenAPI document describes them like every other route.
        foreach (var route in new[] { "/health/ready", "/health" })
        {
            app.MapGet(route, ReadyAsync)
                .WithTags("Operations").WithSummary("PostgreSQL, Redis and the Orleans cluster answer (503 if not)")
                .Produces<ReadinessResponse>()
                .Produces<ReadinessResponse>(StatusCodes.Status503ServiceUnavailable);
        }

        return app;
    }

    private static async Task<JsonHttpResult<ReadinessResponse>> ReadyAsync(HealthCheckService health, HttpContext context)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(Ready), context.RequestAborted);
        context.Response.Headers.CacheControl = "no-store";
        var checks = Dependencies.ToDictionary(
            name => name,
            name => report.Entries.TryGetValue(name, out var entry) ? Describe(entry.Status) : "not_configured");
        return TypedResults.Json(new ReadinessResponse(Describe(report.Status), checks),
            statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    private static string Describe(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };

    /// <summary>
    /// A real grain call through the cluster, as cheap as one can be: asking for a catalog newer than the one held
    /// answers null in the steady state, not the whole catalog.
    /// </summary>
    private sealed class OrleansHealthCheck(IGrainFactory grains, ICatalogSnapshots catalog) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var known = await catalog.GetAsync(cancellationToken);
            await grains.GetGrain<ICatalogGrain>(0).GetSnapshotIfNewer(known.Version).WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }

    private sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }

    private sealed class RedisHealthCheck(string connectionString) : IHealthCheck, IDisposable
    {
        // One connection for the process, made on first use; it reconnects by itself after Redis comes back.
        private readonly Lazy<Task<ConnectionMultiplexer>> _connection = new(() =>
        {
            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = false;
            return ConnectionMultiplexer.ConnectAsync(options);
        });

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var connection = await _connection.Value.WaitAsync(cancellationToken);
            await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }

        public void Dispose()
        {
            if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
            {
                _connection.Value.Result.Dispose();
            }
        }
    }
}
