using System.Text.RegularExpressions;
using k8s.Models;

namespace Learning.DeploymentTests.Kubernetes;

/// <summary>
/// The silo's Kubernetes switch, without a cluster: the built silo run with <c>--check</c> in the environment the
/// rendered silo pod spec would give it (downward API and ConfigMaps resolved as the kubelet would, for a made-up pod),
/// printing the identity Orleans resolved. Connects to nothing.
/// </summary>
public sealed class SiloKubernetesHostingTests
{
    private const string PodName = "learning-silo-5f7c9d8b6-x2x7q";
    private const string PodNamespace = "learning";
    // A loopback address other than 127.0.0.1: the silo's metrics listener binds the pod IP, so it must exist here,
    // and it still tells the pod's address from the loopback default.
    private const string PodIp = "127.0.0.2";

    [Fact]
    public async Task A_silo_in_the_manifests_pod_spec_is_named_after_the_pod_advertises_its_IP_and_joins_the_labelled_cluster()
    {
        var manifests = await KubernetesManifests.LoadAsync(KubernetesManifests.Base);
        var template = manifests.Deployment("learning-silo").Spec.Template;
        var environment = PodEnvironment(manifests, template);

        var result = await RunCheckAsync(environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        var identity = Identity(result.Stdout);
        Assert.Equal(PodName, identity["silo-name"]);
        Assert.Equal($"{PodIp}:11111", identity["advertised"]);
        Assert.Equal($"{PodIp}:30000", identity["gateway"]);
        Assert.Equal("0.0.0.0:11111, gateway 0.0.0.0:30000", identity["listening"]);
        Assert.Equal(template.Metadata.Labels["orleans/clusterId"], identity["cluster-id"]);
        Assert.Equal(template.Metadata.Labels["orleans/serviceId"], identity["service-id"]);
        Assert.Equal("on", identity["kubernetes-hosting"]);
    }

    [Fact]
    public async Task Without_the_switch_the_pod_variables_are_ignored_and_the_configured_identity_stays()
    {
        var manifests = await KubernetesManifests.LoadAsync(KubernetesManifests.Base);
        var environment = PodEnvironment(manifests, manifests.Deployment("learning-silo").Spec.Template);
        environment.Remove("Cluster__Kubernetes__Enabled");
        environment["Cluster__ClusterId"] = "compose";

        var result = await RunCheckAsync(environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        var identity = Identity(result.Stdout);
        Assert.Equal("off", identity["kubernetes-hosting"]);
        Assert.Equal("compose", identity["cluster-id"]);
        Assert.Equal("127.0.0.1:11111", identity["advertised"]);
        Assert.NotEqual(PodName, identity["silo-name"]);
    }

    [Fact]
    public async Task With_the_switch_on_a_pod_spec_missing_variables_or_contradicting_them_stops_the_silo_naming_each()
    {
        var manifests = await KubernetesManifests.LoadAsync(KubernetesManifests.Base);
        var environment = PodEnvironment(manifests, manifests.Deployment("learning-silo").Spec.Template);
        environment.Remove("POD_IP");
        environment.Remove("ORLEANS_SERVICE_ID");
        environment["Cluster__ClusterId"] = "another";
        environment["Cluster__AdvertisedIp"] = "10.0.0.1";

        var result = await RunCheckAsync(environment);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("needs the environment variable POD_IP", result.Stderr);
        Assert.Contains("needs the environment variable ORLEANS_SERVICE_ID", result.Stderr);
        Assert.Contains("Cluster:ClusterId 'another' differs from ORLEANS_CLUSTER_ID", result.Stderr);
        Assert.Contains("Cluster:AdvertisedIp must not be set", result.Stderr);
        Assert.DoesNotContain("silo-name:", result.Stdout);
    }

    /// <summary>
    /// The container's environment for a pod named <see cref="PodName"/> at <see cref="PodIp"/>; secrets get stand-in
    /// values, <c>$(NAME)</c> expands to a variable defined before it (as the kubelet does; an undefined one fails), and the
    /// metrics port is a free one. In Development, because the cluster TLS files of the Secret volume are not here (the
    /// TLS settings go).
    /// </summary>
    private static Dictionary<string, string?> PodEnvironment(KubernetesManifests manifests, V1PodTemplateSpec template)
    {
        var result = new Dictionary<string, string?>();
        foreach (var (name, variable) in manifests.Environment(KubernetesManifests.Container(template)))
        {
            var source = variable.ValueFrom;
            result[name] = source?.FieldRef?.FieldPath switch
            {
                null when source?.SecretKeyRef is { } secret => secret.Key switch
                {
                    "postgres-connection" => "Host=127.0.0.1;Port=1;Database=learning;Username=learning;Password=unused",
                    "redis-connection" => "127.0.0.1:1,password=unused",
                    _ => "unused",
                },
                null => variable.Value,
                "metadata.name" => PodName,
                "metadata.namespace" => PodNamespace,
                "status.podIP" => PodIp,
                var path when Regex.Match(path, @"^metadata\.labels\['(.+)'\]$") is { Success: true } label => template.Metadata.Labels[label.Groups[1].Value],
                var path => throw new Xunit.Sdk.XunitException($"fieldRef {path} is not simulated here"),
            };
            result[name] = Regex.Replace(result[name] ?? "", @"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", reference =>
                result.TryGetValue(reference.Groups[1].Value, out var earlier) && reference.Groups[1].Value != name
                    ? earlier ?? ""
                    : throw new Xunit.Sdk.XunitException($"{name} refers to $({reference.Groups[1].Value}), which is not defined before it: the kubelet leaves it unexpanded"));
        }

        Assert.Equal("9464", result["Metrics__PrometheusPort"]);
        result["Metrics__PrometheusPort"] = FreePort().ToString();

        foreach (var tls in result.Keys.Where(k => k.StartsWith("Cluster__Tls__")).ToList())
        {
            result.Remove(tls);
        }

        result["DOTNET_ENVIRONMENT"] = "Development";
        return result;
    }

    private static async Task<ProcessResult> RunCheckAsync(Dictionary<string, string?> pod)
    {
        // The test process's own environment must not leak in (a developer's Cluster__* or POD_*): start from none.
        var environment = System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k is not ("PATH" or "HOME" or "DOTNET_ROOT"))
            .ToDictionary(k => k, _ => (string?)null);
        foreach (var (key, value) in pod)
        {
            environment[key] = value;
        }

        var silo = SiloAssembly();
        return await ProcessRunner.RunAsync("dotnet", [silo, "--check"], TimeSpan.FromMinutes(2), environment, System.IO.Path.GetDirectoryName(silo));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Parse(PodIp), 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Dictionary<string, string> Identity(string stdout) =>
        stdout.Split('\n').Select(l => Regex.Match(l.Trim(), @"^([a-z-]+): (.*)$")).Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    /// <summary>The silo built with this test project (its project reference), in the same configuration.</summary>
    private static string SiloAssembly()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var configuration = testOutput.Parent!.Name;
        var path = DeploymentFiles.Path("Silo", "bin", configuration, testOutput.Name, "Learning.Silo.dll");
        Assert.True(File.Exists(path), $"{path} not built: build tests/DeploymentTests, which references the Silo project");
        return path;
    }
}
