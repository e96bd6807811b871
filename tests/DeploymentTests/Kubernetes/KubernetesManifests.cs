using k8s;
using k8s.Models;

namespace Learning.DeploymentTests.Kubernetes;

/// <summary>
/// deploy/kubernetes rendered by <c>kubectl kustomize</c> (no server needed) and read into the official client's typed
/// models, strictly: a field the model does not know (a typo, a field at the wrong level) fails the load.
/// </summary>
public sealed class KubernetesManifests
{
    public const string InstallHint =
        "kubectl is needed to render deploy/kubernetes (`kubectl kustomize`, no cluster involved) and was not found on PATH. " +
        "Install kubectl 1.27 or newer (kustomize v5): the Kubernetes apt repository (pkgs.k8s.io), or the Google Cloud SDK's " +
        "`kubectl` package these machines carry. Debian's own `kubernetes-client` (1.20) is too old for the base's `labels` field.";

    private static readonly Dictionary<string, Lazy<Task<KubernetesManifests>>> Rendered = new()
    {
        [Base] = new(() => RenderAsync(Base)),
        [Example] = new(() => RenderAsync(Example)),
    };

    private KubernetesManifests(string folder, List<object> resources)
    {
        Folder = folder;
        Resources = resources;
    }

    /// <summary>What <c>kubectl kustomize deploy/kubernetes</c> renders: the base.</summary>
    public const string Base = "deploy/kubernetes";

    public const string Example = "deploy/kubernetes/overlays/example";

    public static string KubernetesFolder => DeploymentFiles.Path("deploy", "kubernetes");

    public string Folder { get; }

    public List<object> Resources { get; }

    public static Task<KubernetesManifests> LoadAsync(string folder) => Rendered[folder].Value;

    public IEnumerable<T> All<T>() => Resources.OfType<T>();

    public T Named<T>(string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        All<T>().SingleOrDefault(r => r.Metadata.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"{Folder}: no {typeof(T).Name} named {name} (have: {string.Join(", ", All<T>().Select(r => r.Metadata.Name))})");

    public V1Deployment Deployment(string name) => Named<V1Deployment>(name);

    /// <summary>Every pod template of the rendered workloads, with the name of its workload.</summary>
    public IEnumerable<(string Workload, V1PodTemplateSpec Template)> PodTemplates() =>
        All<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template))
            .Concat(All<V1Job>().Select(j => (j.Metadata.Name, j.Spec.Template)));

    /// <summary>The container of a workload's pod template (each has one).</summary>
    public static V1Container Container(V1PodTemplateSpec template) => Assert.Single(template.Spec.Containers);

    /// <summary>A container's environment as the pod would see it: <c>envFrom</c> ConfigMaps first, then <c>env</c> (which wins).</summary>
    public Dictionary<string, V1EnvVar> Environment(V1Container container)
    {
        var result = new Dictionary<string, V1EnvVar>();
        foreach (var source in container.EnvFrom ?? [])
        {
            Assert.Null(source.SecretRef); // secrets come one by one through secretKeyRef, so each is named in the spec
            var map = Named<V1ConfigMap>(source.ConfigMapRef.Name);
            foreach (var (key, value) in map.Data)
            {
                result[key] = new V1EnvVar { Name = key, Value = value };
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            result[variable.Name] = variable;
        }

        return result;
    }

    /// <summary>A plain environment value (not from a reference), or null when absent or referenced.</summary>
    public string? Value(V1Container container, string name) =>
        Environment(container).TryGetValue(name, out var variable) && variable.ValueFrom is null ? variable.Value : null;

    /// <summary>The container port a Service or probe port (number or name) stands for.</summary>
    public static int ResolvePort(V1Container container, IntOrString port) =>
        int.TryParse(port.Value, out var number)
            ? number
            : container.Ports?.SingleOrDefault(p => p.Name == port.Value)?.ContainerPort
              ?? throw new Xunit.Sdk.XunitException($"container {container.Name} has no port named '{port.Value}'");

    /// <summary>Whether a label selector (matchLabels and In/NotIn/Exists expressions) selects these labels.</summary>
    public static bool Selects(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null)
        {
            return false;
        }

        labels ??= new Dictionary<string, string>();
        var byLabels = (selector.MatchLabels ?? new Dictionary<string, string>()).All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value);
        var byExpressions = (selector.MatchExpressions ?? []).All(e => e.OperatorProperty switch
        {
            "In" => labels.TryGetValue(e.Key, out var v) && e.Values.Contains(v),
            "NotIn" => !labels.TryGetValue(e.Key, out var v) || !e.Values.Contains(v),
            "Exists" => labels.ContainsKey(e.Key),
            "DoesNotExist" => !labels.ContainsKey(e.Key),
            var other => throw new Xunit.Sdk.XunitException($"unknown selector operator {other}"),
        });
        return byLabels && byExpressions;
    }

    /// <summary>Whether a host name is accepted by a semicolon-separated AllowedHosts value (ASP.NET Core's rules: exact or <c>*.suffix</c>).</summary>
    public static bool HostAllowed(string allowedHosts, string host) =>
        allowedHosts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(entry =>
            entry == "*"
            || string.Equals(entry, host, StringComparison.OrdinalIgnoreCase)
            || entry.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(entry[1..], StringComparison.OrdinalIgnoreCase));

    /// <summary>Every document of a YAML file, strictly typed by its apiVersion and kind.</summary>
    public static List<object> LoadFile(string path) => KubernetesYaml.LoadAllFromString(File.ReadAllText(path), strict: true);

    private static async Task<KubernetesManifests> RenderAsync(string folder)
    {
        var kubectl = ProcessRunner.Find("kubectl") ?? throw new InvalidOperationException(InstallHint);
        var result = await ProcessRunner.RunAsync(kubectl, ["kustomize", folder], TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {folder} failed: {result}");
        }

        return new(folder, KubernetesYaml.LoadAllFromString(result.Stdout, strict: true));
    }
}
