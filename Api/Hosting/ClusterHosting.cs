using Learning.Hosting;
using Microsoft.Extensions.Options;

namespace Learning.Api.Hosting;

/// <summary>How the API reaches the grains (section <c>Cluster</c>).</summary>
public sealed class ClusterHostingOptions
{
    public const string Section = "Cluster";

    /// <summary><c>Embedded</c>: this process also runs a silo with localhost clustering and in-memory storage.</summary>
    public string Mode { get; set; } = ClusterModes.Embedded;

    /// <summary>Silo-to-silo port of the embedded silo.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port of the embedded silo.</summary>
    public int GatewayPort { get; set; } = 30000;
}

public static class ClusterModes
{
    public const string Embedded = "Embedded";
}

public static class ClusterHosting
{
    public static WebApplicationBuilder AddLearningCluster(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ClusterHostingOptions.Section).Get<ClusterHostingOptions>() ?? new();
        var problems = Validate(options);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(ClusterHostingOptions.Section, typeof(ClusterHostingOptions), problems);
        }

        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(options.SiloPort, options.GatewayPort)
            .AddMemoryGrainStorage(StorageNames.Default)
            .AddLearningGrains());
        return builder;
    }

    private static List<string> Validate(ClusterHostingOptions options)
    {
        var problems = new List<string>();
        if (!string.Equals(options.Mode, ClusterModes.Embedded, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Cluster:Mode '{options.Mode}' is not supported; use '{ClusterModes.Embedded}'.");
        }

        if (options.SiloPort is < 1 or > 65535 || options.GatewayPort is < 1 or > 65535 || options.SiloPort == options.GatewayPort)
        {
            problems.Add("Cluster:SiloPort and Cluster:GatewayPort must be two different ports between 1 and 65535.");
        }

        return problems;
    }
}
