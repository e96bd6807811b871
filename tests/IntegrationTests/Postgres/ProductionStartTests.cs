using System.Net;
using Learning.TestSupport;

namespace Learning.IntegrationTests.Postgres;

/// <summary>A well-configured production host on a real database starts, with no demo users and the bootstrap admin.</summary>
public sealed class ProductionStartTests
{
    [Fact]
    public async Task A_well_configured_production_host_starts_without_demo_users()
    {
        using var factory = new ProductionApiFactory(await PostgresDatabase.CreateAsync());
        var api = factory.CreateApiClient();

        (await api.Login("admin@example.com", "admin-demo-kettle-nebula")).AssertProblem(HttpStatusCode.Unauthorized, "invalid_credentials");
        (await api.Get("/api/courses")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_bootstrap_admin_is_created_in_production()
    {
        using var factory = new ProductionApiFactory(await PostgresDatabase.CreateAsync(),
            ("Bootstrap:AdminEmail", "ops@example.org"), ("Bootstrap:AdminPassword", "a-long-operator-password"));
        var api = factory.CreateApiClient();

        var admin = Session.From("ops@example.org", (await api.Login("ops@example.org", "a-long-operator-password")).AssertStatus(HttpStatusCode.OK));
        (await api.Get("/api/admin/users", admin.Access)).AssertStatus(HttpStatusCode.OK);
    }
}
