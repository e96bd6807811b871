using System.Data.Common;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace Learning.Hosting;

/// <summary>How processes form and find the cluster (section <c>Cluster</c>, connection strings beside it).</summary>
public sealed class ClusterSettings
{
    public const string Section = "Cluster";

    /// <summary>
    /// For the API: <c>Embedded</c> runs a silo in the API process (localhost clustering; PostgreSQL storage when
    /// <c>ConnectionStrings:Postgres</c> is set, memory otherwise); <c>Client</c> joins a cluster of separate silos
    /// found through Redis. Silos ignore it.
    /// </summary>
    public string Mode { get; set; } = ClusterModes.Embedded;

    public string ClusterId { get; set; } = "learning";

    public string ServiceId { get; set; } = "learning";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients (API instances) connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this silo at; must be an IP (in containers: the container's own).</summary>
    public string? AdvertisedIp { get; set; }

    /// <summary>
    /// How long a grain call may take before it fails (and the API answers 503). Orleans' default of 30 s is how
    /// long a request to a silo that just died could hang before fail-over breaks it.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Mutual TLS for silos and <c>Client</c>-mode API hosts (section <c>Cluster:Tls</c>).</summary>
    public ClusterTlsSettings Tls { get; set; } = new();

    public string? Redis { get; set; }

    public string? Postgres { get; set; }

    private List<string> unreadable = [];

    public bool IsClient => string.Equals(Mode, ClusterModes.Client, StringComparison.OrdinalIgnoreCase);

    public static ClusterSettings Read(IConfiguration configuration)
    {
        var settings = new ClusterSettings();
        // Setting by setting, so one unreadable value (Cluster:SiloPort=abc) is listed with the other problems.
        settings.unreadable = ConfigurationProblems.Bind(configuration.GetSection(Section), settings);
        settings.Redis = configuration.GetConnectionString("Redis") is { Length: > 0 } redis ? redis : null;
        settings.Postgres = configuration.GetConnectionString("Postgres") is { Length: > 0 } postgres ? postgres : null;
        return settings;
    }

    /// <summary>Every problem at once, so an operator fixes a bad deployment in one go.</summary>
    public List<string> Problems(bool forSilo, bool development = true)
    {
        var problems = new List<string>(unreadable);
        if (!forSilo && !IsClient && !development && Postgres is null)
        {
            problems.Add("ConnectionStrings:Postgres is required outside Development: an embedded silo would otherwise keep every user's data in memory only.");
        }

        if (!forSilo && !IsClient && !string.Equals(Mode, ClusterModes.Embedded, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Cluster:Mode '{Mode}' is not known; use '{ClusterModes.Embedded}' or '{ClusterModes.Client}'.");
        }

        if ((forSilo || IsClient) && Redis is null)
        {
            problems.Add("ConnectionStrings:Redis is required: silos and clients find each other through Redis.");
        }

        if ((forSilo || IsClient) && Postgres is null)
        {
            problems.Add("ConnectionStrings:Postgres is required: grain state and the operators' tables live in PostgreSQL.");
        }

        if (forSilo || IsClient)
        {
            Tls.AddProblems(problems, forSilo, required: !development);
        }

        if (!development)
        {
            problems.AddRange(new[]
            {
                SampleValues.CheckConnectionPassword("ConnectionStrings:Postgres", PostgresPassword(Postgres)),
                SampleValues.CheckConnectionPassword("ConnectionStrings:Redis", RedisPassword(Redis)),
            }.OfType<string>());
        }

        if (SiloPort is < 1 or > 65535 || GatewayPort is < 1 or > 65535 || SiloPort == GatewayPort)
        {
            problems.Add("Cluster:SiloPort and Cluster:GatewayPort must be two different ports between 1 and 65535.");
        }

        if (AdvertisedIp is not null && !IPAddress.TryParse(AdvertisedIp, out _))
        {
            problems.Add($"Cluster:AdvertisedIp '{AdvertisedIp}' is not an IP address.");
        }

        if (ResponseTimeout < TimeSpan.FromSeconds(1) || ResponseTimeout > TimeSpan.FromMinutes(5))
        {
            problems.Add("Cluster:ResponseTimeout must be between 00:00:01 and 00:05:00.");
        }

        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId))
        {
            problems.Add("Cluster:ClusterId and Cluster:ServiceId must not be empty.");
        }

        return problems;
    }

    private static string? PostgresPassword(string? connectionString)
    {
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
            return (builder.TryGetValue("Password", out var password) || builder.TryGetValue("Pwd", out password)) ? password?.ToString() : null;
        }
        catch (ArgumentException)
        {
            return null; // malformed: Npgsql reports it when it connects
        }
    }

    /// <summary>StackExchange.Redis: <c>host:port,password=...,ssl=true</c>.</summary>
    private static string? RedisPassword(string? connectionString) =>
        connectionString?.Split(',').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("password=", StringComparison.OrdinalIgnoreCase))?["password=".Length..];
}

public static class ClusterModes
{
    public const string Embedded = "Embedded";
    public const string Client = "Client";
}
