using Learning.Api.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Learning.UnitTests.Security;

/// <summary>Who may read /metrics when operators set nothing, or pin it to an internal port.</summary>
public sealed class MetricsAccessTests
{
    [Theory]
    [InlineData("Production", null, null, true)]
    [InlineData("Staging", null, null, true)]
    [InlineData("Production", "*:9464", null, false)]
    [InlineData("Production", "*:9464", "true", true)]
    [InlineData("Development", null, null, false)]
    [InlineData("Development", null, "true", true)]
    public void Metrics_are_for_admins_by_default_outside_development_unless_on_an_internal_host(
        string environment, string? requireHost, string? requireAdmin, bool expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Metrics:RequireHost"] = requireHost,
            ["Metrics:RequireAdmin"] = requireAdmin,
        }).Build();

        Assert.Equal(expected, MetricsSetup.RequiresAdmin(configuration, new Environment(environment)));
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "Learning.Api";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
