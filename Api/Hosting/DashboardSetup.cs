using Learning.Api.Auth;
using Orleans.Dashboard;

namespace Learning.Api.Hosting;

/// <summary>
/// The Orleans Dashboard at <c>/dashboard</c> for operators (section <c>Dashboard</c>). It has no authentication of
/// its own, so it is served only to admins; operators who prefer a private port set <c>Dashboard:RequireHost</c>
/// (e.g. <c>*:9090</c>) and add that port to <c>urls</c>, so it answers nowhere else.
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
        if (app.Configuration["Dashboard:RequireHost"] is { Length: > 0 } host)
        {
            dashboard.RequireHost(host);
        }
    }
}
