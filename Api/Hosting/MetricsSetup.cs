using Learning.Api.Auth;

namespace Learning.Api.Hosting;

/// <summary>
/// <c>/metrics</c> (section <c>Metrics</c>): Prometheus text, which names routes and load and so stays off the public
/// edge. <c>Metrics:RequireHost</c> (e.g. <c>*:9464</c>, a port added to <c>urls</c> and reachable only internally)
/// serves it there alone; otherwise, outside Development, only to admins (<c>Metrics:RequireAdmin</c> overrides).
/// </summary>
public static class MetricsSetup
{
    public static bool RequiresAdmin(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue<bool?>("Metrics:RequireAdmin")
        ?? (string.IsNullOrEmpty(configuration["Metrics:RequireHost"]) && !environment.IsDevelopment());

    public static void MapLearningMetrics(this WebApplication app)
    {
        var metrics = app.MapPrometheusScrapingEndpoint("/metrics");
        if (app.Configuration["Metrics:RequireHost"] is { Length: > 0 } host)
        {
            metrics.RequireHost(host);
        }

        if (RequiresAdmin(app.Configuration, app.Environment))
        {
            metrics.RequireAuthorization(AuthenticationSetup.AdminPolicy);
        }
    }
}
