using System.Net;
using Learning.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;

namespace Learning.Silo.Hosting;

/// <summary>
/// <c>Cluster:Kubernetes:Enabled=true</c>: the silo runs in a Kubernetes pod and takes its identity from it through
/// <c>Microsoft.Orleans.Hosting.Kubernetes</c>. The silo is named after the pod (<c>POD_NAME</c>), advertises the pod's
/// IP (<c>POD_IP</c>, set here: see <see cref="Apply"/>) and listens on every interface, and takes the cluster and service ids from
/// <c>ORLEANS_CLUSTER_ID</c>/<c>ORLEANS_SERVICE_ID</c>, which the pod spec fills from its own <c>orleans/clusterId</c> and
/// <c>orleans/serviceId</c> labels. The silo then lists the pods carrying those labels in <c>POD_NAMESPACE</c> and
/// declares dead any silo whose pod is gone, without waiting for missed probes.
/// Membership stays in Redis: the package watches pods but is no membership table, and the API instances find
/// gateways through Redis too.
/// </summary>
/// <remarks>
/// An explicit switch rather than detecting the variables: a silo that meant to run in a pod but lost one of them
/// (a typo in the manifest) must stop with the name of what is missing, not start with a loopback address.
/// </remarks>
public sealed class KubernetesHosting
{
    public const string EnabledKey = "Cluster:Kubernetes:Enabled";

    public static readonly string[] RequiredVariables =
    [
        KubernetesHostingOptions.PodNameEnvironmentVariable,
        KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
        KubernetesHostingOptions.PodIPEnvironmentVariable,
        KubernetesHostingOptions.ClusterIdEnvironmentVariable,
        KubernetesHostingOptions.ServiceIdEnvironmentVariable,
    ];

    private KubernetesHosting(bool enabled) => Enabled = enabled;

    public bool Enabled { get; }

    public static KubernetesHosting Read(IConfiguration configuration, List<string> problems)
    {
        var value = configuration[EnabledKey];
        if (string.IsNullOrEmpty(value))
        {
            return new(false);
        }

        if (!bool.TryParse(value, out var enabled))
        {
            problems.Add($"{EnabledKey} '{value}' is not true or false.");
        }

        return new(enabled);
    }

    /// <summary>
    /// What the pod spec must provide, read as the package reads it (process environment variables), and settings
    /// that would contradict the pod: an advertised IP of its own, or cluster ids other than the pod's labels.
    /// </summary>
    public IEnumerable<string> Problems(IConfiguration configuration, ClusterSettings cluster)
    {
        if (!Enabled)
        {
            yield break;
        }

        foreach (var name in RequiredVariables.Where(name => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(name))))
        {
            yield return $"{EnabledKey}=true needs the environment variable {name}, set by the pod spec (deploy/kubernetes/base/silo.yaml).";
        }

        if (Environment.GetEnvironmentVariable(KubernetesHostingOptions.PodIPEnvironmentVariable) is { Length: > 0 } podIp && !IPAddress.TryParse(podIp, out _))
        {
            yield return $"{KubernetesHostingOptions.PodIPEnvironmentVariable} '{podIp}' is not an IP address.";
        }

        if (cluster.AdvertisedIp is not null)
        {
            yield return $"Cluster:AdvertisedIp must not be set when {EnabledKey}=true: the silo advertises {KubernetesHostingOptions.PodIPEnvironmentVariable}.";
        }

        foreach (var (setting, variable) in new[]
        {
            ("Cluster:ClusterId", KubernetesHostingOptions.ClusterIdEnvironmentVariable),
            ("Cluster:ServiceId", KubernetesHostingOptions.ServiceIdEnvironmentVariable),
        })
        {
            var configured = configuration[setting];
            var fromPod = Environment.GetEnvironmentVariable(variable);
            if (configured is not null && fromPod is { Length: > 0 } && configured != fromPod)
            {
                yield return $"{setting} '{configured}' differs from {variable} '{fromPod}' (the pod's label): remove {setting} from the silo's settings.";
            }
        }
    }

    /// <summary>The pod's identity and listening endpoints in place of <see cref="ClusterOptions"/> and <c>ConfigureEndpoints</c>.</summary>
    public static void Apply(ISiloBuilder silo, ClusterSettings cluster)
    {
        // The package would advertise POD_IP only if no address were set by then, but Orleans' own post-configuration
        // runs first and picks the machine's first IPv4 address (seen here: not POD_IP). Set it from POD_IP, checked
        // by Problems; the package still makes the silo listen on every interface.
        silo.Configure<EndpointOptions>(options =>
        {
            options.AdvertisedIPAddress = IPAddress.Parse(Environment.GetEnvironmentVariable(KubernetesHostingOptions.PodIPEnvironmentVariable)!);
            options.SiloPort = cluster.SiloPort;
            options.GatewayPort = cluster.GatewayPort;
        });
        // Pod permissions (deploy/kubernetes/base/rbac.yaml): get this pod, list and watch the cluster's pods. It patches
        // its own labels only when they differ from the cluster ids, which the pod spec rules out by taking the ids
        // from the labels; deleting the pods of dead silos (DeleteDefunctSiloPods) stays off, so no delete either.
        silo.UseKubernetesHosting();
    }
}
