using Learning.Api.Auth;
using Learning.Api.OperatorConsole;
using Orleans.Dashboard;

namespace Learning.Api.Hosting;

/// <summary>
/// The Orleans Dashboard at <c>/dashboard</c> for operators (section <c>Dashboard</c>). It has no authentication of
/// its own, so it is served only to admins; operators who prefer a private port set <c>Dashboard:RequireHost</c>
/// (e.g. <c>*:9090</c>) and add that port to <c>urls</c>, so it answers nowhere else. With the operator console on,
/// its cookie session opens the Dashboard as a bearer token does (docs/console.md).
/// </summary>
public static class DashboardSetup
{
    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue("Dashboard:Enabled", true);

    public static IClientBuilder AddDashboardWhenEnabled(this IClientBuilder client, IConfiguration configuration) =>
        IsEnabled(configuration) ? client.AddDashboard() : client;

    public static void MapLearningDashboard(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration))
        {
            return;
        }

        // Internal pages, not part of the API contract: kept out of the OpenAPI document.
        var dashboard = app.MapOrleansDashboard(routePrefix: "/dashboard").RequireAuthorization(AuthenticationSetup.AdminPolicy).ExcludeFromDescription();
        if (ConsoleOptions.IsEnabled(app.Configuration, app.Environment))
        {
            // A browser has no bearer header: with the console on, its session opens the Dashboard too (same checks).
            dashboard.WithMetadata(ConsoleSessionEndpoint.CookieOrBearer);
        }

        if (app.Configuration["Dashboard:RequireHost"] is { Length: > 0 } host)
        {
            dashboard.RequireHost(host);
        }
    }
}
