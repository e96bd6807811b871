using System.Text.RegularExpressions;
using k8s.Models;
using static Learning.DeploymentTests.Kubernetes.KubernetesManifests;

namespace Learning.DeploymentTests.Kubernetes;

/// <summary>
/// The Kubernetes manifests, rendered offline and checked for what would break or expose a real deployment. Each
/// check runs on the base and on the example overlay, since an overlay's patches can undo what the base gets right.
/// </summary>
public sealed class KubernetesManifestTests
{
    private const string Silo = "learning-silo";
    private const string Api = "learning-api";
    private const string Console = "learning-console";
    private const string Migrate = "learning-migrate";
    private const int HttpPort = 8080;
    private const int MetricsPort = 9464;
    private const int SiloPort = 11111;
    private const int GatewayPort = 30000;

    public static TheoryData<string> Renderings => new() { Base, Example };

    [Fact]
    public void Every_manifest_file_loads_strictly_typed_and_the_base_lists_each_one()
    {
        // Runs without kubectl too: every document is a known kind and every field one its model has.
        var baseFolder = System.IO.Path.Combine(KubernetesFolder, "base");
        var listed = File.ReadAllLines(System.IO.Path.Combine(baseFolder, "kustomization.yaml"))
            .Select(l => Regex.Match(l, @"^\s+-\s+(\S+\.yaml)\s*$")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet();
        var files = Directory.GetFiles(baseFolder, "*.yaml").Select(System.IO.Path.GetFileName).Where(f => f != "kustomization.yaml").ToList();
        Assert.Equal(files.Order(), listed.Order());
        foreach (var file in Directory.GetFiles(KubernetesFolder, "*.yaml", SearchOption.AllDirectories).Where(f => !f.EndsWith("kustomization.yaml")))
        {
            var documents = LoadFile(file);
            Assert.True(documents.Count > 0, $"{file}: no document");
            Assert.All(documents, d => Assert.IsAssignableFrom<k8s.IKubernetesObject>(d));
        }
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public async Task Renders_offline_with_the_workloads_the_service_needs(string folder)
    {
        var manifests = await LoadAsync(folder);
        Assert.Equal([Api, Console, Silo], manifests.All<V1Deployment>().Select(d => d.Metadata.Name).Order());
        Assert.Equal(Migrate, Assert.Single(manifests.All<V1Job>()).Metadata.Name);
        Assert.Equal("learning", Assert.Single(manifests.All<V1Namespace>()).Metadata.Name);
        Assert.All(manifests.Resources.Cast<k8s.IKubernetesObject<V1ObjectMeta>>().Where(r => r is not V1Namespace),
            r => Assert.Equal("learning", r.Metadata.NamespaceProperty));
        // PostgreSQL and Redis are external; Secrets are created by the operator, never applied from the repository.
        Assert.Empty(manifests.All<V1StatefulSet>());
        Assert.Empty(manifests.All<V1Secret>());
        Assert.Empty(manifests.All<V1ClusterRole>());
        Assert.Empty(manifests.All<V1ClusterRoleBinding>());
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public async Task Every_container_has_cpu_and_memory_requests_and_limits_and_runs_unprivileged(string folder)
    {
        var manifests = await LoadAsync(folder);
        foreach (var (workload, template) in manifests.PodTemplates())
        {
            var container = Container(template);
            foreach (var resource in new[] { "cpu", "memory" })
            {
                Assert.True(container.Resources?.Requests?.ContainsKey(resource) == true, $"{workload}: no {resource} request");
                Assert.True(container.Resources?.Limits?.ContainsKey(resource) == true, $"{workload}: no {resource} limit");
                Assert.True(container.Resources.Requests[resource].ToDecimal() <= container.Resources.Limits[resource].ToDecimal(), $"{workload}: {resource} request above its limit");
            }

            // The images' `app` user (UID 1654) owns nothing it runs; the namespace enforces the restricted profile.
            Assert.True(template.Spec.SecurityContext?.RunAsNonRoot, $"{workload}: runAsNonRoot");
            Assert.Equal(1654, template.Spec.SecurityContext?.RunAsUser);
            Assert.False(container.SecurityContext?.AllowPrivilegeEscalation ?? true, $"{workload}: allowPrivilegeEscalation");
            Assert.Contains("ALL", container.SecurityContext?.Capabilities?.Drop ?? []);
        }
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public async Task Api_and_console_pods_probe_the_health_routes_with_a_host_their_AllowedHosts_accepts(string folder)
    {
        var manifests = await LoadAsync(folder);
        foreach (var name in new[] { Api, Console })
        {
            var container = Container(manifests.Deployment(name).Spec.Template);
            var allowedHosts = manifests.Value(container, "AllowedHosts") ?? throw new Xunit.Sdk.XunitException($"{name}: no AllowedHosts");
            foreach (var (probe, path) in new[] { (container.ReadinessProbe, "/health/ready"), (container.LivenessProbe, "/health/live") })
            {
                Assert.NotNull(probe?.HttpGet);
                Assert.Equal(path, probe.HttpGet.Path);
                Assert.Equal(HttpPort, ResolvePort(container, probe.HttpGet.Port));
                // Host filtering answers 400 to the kubelet's default Host (the pod IP): the probe would never pass.
                var host = Assert.Single(probe.HttpGet.HttpHeaders, h => h.Name == "Host").Value;
                Assert.True(HostAllowed(allowedHosts, host), $"{name}: probe Host '{host}' is not in AllowedHosts '{allowedHosts}'");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public async Task Silo_pods_carry_the_Orleans_labels_and_take_pod_and_cluster_from_the_downward_API(string folder)
    {
        var manifests = await LoadAsync(folder);
        var silo = manifests.Deployment(Silo);
        var labels = silo.Spec.Template.Metadata.Labels;
        var container = Container(silo.Spec.Template);
        var env = manifests.Environment(container);
        Assert.Equal("true", manifests.Value(container, "Cluster__Kubernetes__Enabled"));
        foreach (var (variable, field) in new[]
        {
            ("POD_NAME", "metadata.name"),
            ("POD_NAMESPACE", "metadata.namespace"),
            ("POD_IP", "status.podIP"),
            ("ORLEANS_SERVICE_ID", "metadata.labels['orleans/serviceId']"),
            ("ORLEANS_CLUSTER_ID", "metadata.labels['orleans/clusterId']"),
        })
        {
            Assert.True(env.TryGetValue(variable, out var value), $"silo: {variable} missing");
            Assert.Equal(field, value.ValueFrom?.FieldRef?.FieldPath);
        }

        // The silo would advertise, and be named, by these; a fixed value would fight the package.
        Assert.DoesNotContain("Cluster__AdvertisedIp", env.Keys);
        Assert.DoesNotContain("Cluster__ClusterId", env.Keys);
        Assert.DoesNotContain("Cluster__ServiceId", env.Keys);
        // The API pods join the cluster the silos' labels name.
        Assert.False(string.IsNullOrEmpty(labels["orleans/serviceId"]));
        Assert.False(string.IsNullOrEmpty(labels["orleans/clusterId"]));
        foreach (var client in new[] { Api, Console })
        {
            var clientContainer = Container(manifests.Deployment(client).Spec.Template);
            Assert.Equal(labels["orleans/clusterId"], manifests.Value(clientContainer, "Cluster__ClusterId"));
            Assert.Equal(labels["orleans/serviceId"], manifests.Value(clientContainer, "Cluster__ServiceId"));
            Assert.Equal("Client", manifests.Value(clientContainer, "Cluster__Mode"));
            // Only silo pods may carry the labels: the package lists them as the cluster's pods.
            Assert.DoesNotContain("orleans/clusterId", manifests.Deployment(client).Spec.Template.Metadata.Labels.Keys);
        }

        // Graceful shutdown stores every grain's state within the silo's 30 s HostOptions.ShutdownTimeout.
        Assert.True(silo.Spec.Template.Spec.TerminationGracePeriodSeconds > 30, "silo: terminationGracePeriodSeconds must exceed the 30 s shutdown");
        // A rolling upgrade adds a silo before it stops one, and waits for the API instances' gateway-list refresh (60 s).
        Assert.Equal("0", silo.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);
        Assert.True(silo.Spec.MinReadySeconds > 60, "silo: minReadySeconds must outlast the 60 s gateway list refresh");
        Assert.Equal(new[] { SiloPort, GatewayPort, MetricsPort }.Order(), container.Ports.Select(p => p.ContainerPort).Order());
        foreach (var probe in new[] { container.StartupProbe, container.ReadinessProbe, container.LivenessProbe })
        {
            var script = Assert.IsType<V1ExecAction>(probe?.Exec).Command.Last();
            Assert.Contains(SiloPort.ToString(), script);
        }

        Assert.Contains(GatewayPort.ToString(), container.ReadinessProbe.Exec.Command.Last());
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public async Task Only_the_silos_have_a_service_account_and_its_role_reads_pods_and_nothing_else(string folder)
    {
        var manifests = await LoadAsync(folder);
        var silo = manifests.Deployment(Silo).Spec.Template.Spec;
        var account = manifests.Named<V1ServiceAccount>(silo.ServiceAccountName);
        var binding = Assert.Single(manifests.All<V1RoleBinding>());
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(("ServiceAccount", account.Metadata.Name), (subject.Kind, subject.Name));
        Assert.Equal("Role", binding.RoleRef.Kind);
        var role = manifests.Named<V1Role>(binding.RoleRef.Name);
        var rule = Assert.Single(role.Rules);
        Assert.Equal([""], rule.ApiGroups);
        Assert.Equal(["pods"], rule.Resources);
        Assert.Null(rule.ResourceNames);
        // get: its own pod; list: the cluster's pods at start; watch: pods deleted later. No patch, delete or create.
        Assert.Equal(["get", "list", "watch"], rule.Verbs.Order());
        foreach (var (workload, template) in manifests.PodTemplates().Where(t => t.Workload != Silo))
        {
            Assert.False(template.Spec.AutomountServiceAccountToken ?? true, $"{workload}: mounts a service account token it never uses");
            Assert.Null(template.Spec.ServiceAccountName);
        }
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public async Task Secrets_come_from_secretKeyRef_to_keys_the_template_documents(string folder)
    {
        var manifests = await LoadAsync(folder);
        var template = LoadFile(System.IO.Path.Combine(KubernetesFolder, "secrets.template.yaml")).Cast<V1Secret>()
            .ToDictionary(s => s.Metadata.Name, s => s.StringData.Keys.ToHashSet());
        var secretNames = new Regex(@"(^ConnectionStrings__|Password$|SigningKey$|Secret)", RegexOptions.IgnoreCase);
        foreach (var (workload, pod) in manifests.PodTemplates())
        {
            foreach (var (name, variable) in manifests.Environment(Container(pod)))
            {
                if (secretNames.IsMatch(name))
                {
                    var reference = variable.ValueFrom?.SecretKeyRef ?? throw new Xunit.Sdk.XunitException($"{workload}: {name} is not read from a Secret");
                    Assert.Null(variable.Value);
                    Assert.True(template.TryGetValue(reference.Name, out var keys) && keys.Contains(reference.Key),
                        $"{workload}: {name} reads {reference.Name}/{reference.Key}, which secrets.template.yaml does not document");
                }

                Assert.DoesNotMatch(@"(?i)password=(?!<)", variable.Value ?? "");
            }

            foreach (var volume in pod.Spec.Volumes?.Where(v => v.Secret is not null) ?? [])
            {
                Assert.True(template.TryGetValue(volume.Secret.SecretName, out var keys), $"{workload}: secret {volume.Secret.SecretName} is not in the template");
                Assert.All(volume.Secret.Items, item => Assert.Contains(item.Key, keys));
                // Readable by the app user through fsGroup, by no one else.
                Assert.Equal(Convert.ToInt32("440", 8), volume.Secret.DefaultMode);
            }
        }

        // Silos and the migration read the silo's key, API pods the API's: never each other's.
        Assert.DoesNotContain("api.key", SecretItems(manifests.Deployment(Silo).Spec.Template));
        Assert.DoesNotContain("silo.key", SecretItems(manifests.Deployment(Api).Spec.Template));
        Assert.Contains("silo.key", SecretItems(manifests.Named<V1Job>(Migrate).Spec.Template));
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public async Task Public_API_pods_serve_no_console_no_dashboard_and_metrics_only_on_the_internal_port(string folder)
    {
        var manifests = await LoadAsync(folder);
        var api = Container(manifests.Deployment(Api).Spec.Template);
        Assert.Equal("false", manifests.Value(api, "Console__Enabled"));
        Assert.Equal("false", manifests.Value(api, "Dashboard__Enabled"));
        Assert.Equal($"*:{MetricsPort}", manifests.Value(api, "Metrics__RequireHost"));
        Assert.Contains($":{MetricsPort}", manifests.Value(api, "ASPNETCORE_URLS"));
        Assert.True(manifests.Deployment(Api).Spec.Replicas >= 2, "the public API runs at least two pods");

        var console = Container(manifests.Deployment(Console).Spec.Template);
        Assert.Equal("true", manifests.Value(console, "Console__Enabled"));
        Assert.Equal($"*:{MetricsPort}", manifests.Value(console, "Metrics__RequireHost"));

        // What the Ingress (if any) publishes: the public API's HTTP port, nothing else.
        foreach (var ingress in manifests.All<V1Ingress>())
        {
            foreach (var path in ingress.Spec.Rules.SelectMany(r => r.Http.Paths))
            {
                Assert.Equal(Api, path.Backend.Service.Name);
                var port = Assert.Single(manifests.Named<V1Service>(Api).Spec.Ports, p => p.Name == path.Backend.Service.Port.Name || p.Port == path.Backend.Service.Port.Number);
                Assert.Equal(HttpPort, ResolvePort(api, port.TargetPort));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public async Task Network_policies_keep_console_metrics_and_silos_away_from_the_ingress(string folder)
    {
        var manifests = await LoadAsync(folder);
        var policies = manifests.All<V1NetworkPolicy>().ToList();
        var deny = Assert.Single(policies, p => p.Spec.PodSelector.MatchLabels is null && p.Spec.PodSelector.MatchExpressions is null);
        Assert.Equal(["Egress", "Ingress"], deny.Spec.PolicyTypes.Order());
        Assert.Null(deny.Spec.Ingress);
        Assert.Null(deny.Spec.Egress);

        var ingressNamespace = Peer.Namespace("ingress-nginx");
        var monitoring = Peer.Namespace("monitoring");
        Assert.Equal([ingressNamespace], AllowedFrom(manifests, Api, HttpPort));
        Assert.Equal([monitoring], AllowedFrom(manifests, Api, MetricsPort));
        Assert.Equal([monitoring], AllowedFrom(manifests, Console, MetricsPort));
        Assert.Equal([monitoring], AllowedFrom(manifests, Silo, MetricsPort));
        Assert.Equal([Peer.Pods("learning/console-access=true")], AllowedFrom(manifests, Console, HttpPort));
        Assert.Equal([Peer.Pods($"app.kubernetes.io/name={Silo}")], AllowedFrom(manifests, Silo, SiloPort));
        Assert.Equal([Peer.Pods($"app.kubernetes.io/name={Api}"), Peer.Pods($"app.kubernetes.io/name={Console}")], AllowedFrom(manifests, Silo, GatewayPort).Order());
        Assert.Empty(AllowedFrom(manifests, Migrate, HttpPort));

        // Out: every workload reaches PostgreSQL, Redis and DNS; the clients reach the gateways, silos each other.
        foreach (var workload in new[] { Silo, Api, Console, Migrate })
        {
            foreach (var port in new[] { 5432, 6379, 53 })
            {
                Assert.True(EgressAllowed(manifests, workload, port), $"{workload}: no egress to port {port}");
            }
        }

        Assert.True(EgressAllowed(manifests, Api, GatewayPort));
        Assert.True(EgressAllowed(manifests, Console, GatewayPort));
        Assert.True(EgressAllowed(manifests, Silo, SiloPort));
        Assert.False(EgressAllowed(manifests, Api, SiloPort), "API pods have no business on the silo-to-silo port");
        Assert.False(EgressAllowed(manifests, Migrate, GatewayPort));
        // Stripe (subscription mode) is called by the public API alone; the console and the migration reach nothing outside.
        Assert.True(EgressAllowed(manifests, Api, 443));
        Assert.False(EgressAllowed(manifests, Console, 443));
        Assert.False(EgressAllowed(manifests, Migrate, 443));
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public async Task Disruption_budgets_select_running_pods_and_leave_room_to_drain(string folder)
    {
        var manifests = await LoadAsync(folder);
        Assert.Equal([Api, Silo], manifests.All<V1PodDisruptionBudget>().Select(b => b.Metadata.Name).Order());
        foreach (var budget in manifests.All<V1PodDisruptionBudget>())
        {
            var selected = manifests.All<V1Deployment>().Where(d => Selects(budget.Spec.Selector, d.Spec.Template.Metadata.Labels)).ToList();
            var deployment = Assert.Single(selected);
            var replicas = deployment.Spec.Replicas ?? 1;
            // A budget no eviction can satisfy blocks every node drain.
            var evictable = budget.Spec.MaxUnavailable is { } max ? int.Parse(max.Value) : replicas - int.Parse(budget.Spec.MinAvailable.Value);
            Assert.InRange(evictable, 1, replicas - 1);
        }
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public async Task Images_and_ports_agree_with_the_Dockerfile_the_compose_file_and_the_services(string folder)
    {
        var manifests = await LoadAsync(folder);
        var dockerfile = new DockerfileText(await File.ReadAllTextAsync(DeploymentFiles.Dockerfile));
        var compose = new ComposeText(await File.ReadAllTextAsync(DeploymentFiles.Compose));
        foreach (var (workload, stage) in new[] { (Silo, "silo"), (Migrate, "silo"), (Api, "api"), (Console, "api") })
        {
            var template = manifests.PodTemplates().Single(t => t.Workload == workload).Template;
            var image = Container(template).Image;
            // learning/silo:latest in the base; REGISTRY/learning/silo:TAG in an overlay; compose: ${IMAGE_PREFIX:-learning}/silo.
            Assert.Matches($"(^|/)learning/{stage}:[^/]+$", image);
            Assert.Contains($"/{stage}:", compose.Services[stage].Text("image"));
            if (workload != Migrate)
            {
                var exposed = dockerfile.Stage(stage).All("EXPOSE").SelectMany(e => e.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(int.Parse);
                Assert.Subset(Container(template).Ports.Select(p => p.ContainerPort).ToHashSet(), exposed.ToHashSet());
            }
        }

        foreach (var service in manifests.All<V1Service>())
        {
            var deployment = Assert.Single(manifests.All<V1Deployment>(), d => Selects(new V1LabelSelector { MatchLabels = service.Spec.Selector }, d.Spec.Template.Metadata.Labels));
            var container = Container(deployment.Spec.Template);
            Assert.All(service.Spec.Ports, p => Assert.Contains(ResolvePort(container, p.TargetPort), container.Ports.Select(c => c.ContainerPort)));
        }

        // A Deployment's selector must match its own template, or the API server refuses it.
        Assert.All(manifests.All<V1Deployment>(), d => Assert.True(Selects(d.Spec.Selector, d.Spec.Template.Metadata.Labels), d.Metadata.Name));
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public async Task The_migration_job_runs_the_silo_image_in_migrate_mode_with_the_silo_settings(string folder)
    {
        var manifests = await LoadAsync(folder);
        var job = manifests.Named<V1Job>(Migrate);
        var container = Container(job.Spec.Template);
        var silo = Container(manifests.Deployment(Silo).Spec.Template);
        Assert.Equal(silo.Image, container.Image);
        // `command` would replace the image's ENTRYPOINT (dotnet Learning.Silo.dll) instead of passing `migrate` to it.
        Assert.Null(container.Command);
        Assert.Equal(["migrate"], container.Args);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"Learning.Silo.dll\"]",
            new DockerfileText(await File.ReadAllTextAsync(DeploymentFiles.Dockerfile)).Stage("silo").All("ENTRYPOINT").Select(e => $"ENTRYPOINT {e.Arguments}"));
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        Assert.True(job.Spec.BackoffLimit is > 0 and < 10);
        // It checks the silo's settings before migrating: it needs what a silo needs (except the pod identity).
        var siloEnv = manifests.Environment(silo).Keys.Where(k => !k.StartsWith("POD_") && !k.StartsWith("ORLEANS_") && !k.StartsWith("Cluster__Kubernetes") && !k.StartsWith("Metrics__"));
        Assert.Subset(manifests.Environment(container).Keys.ToHashSet(), siloEnv.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public async Task Api_and_console_pods_share_one_ReadWriteMany_media_volume_where_the_compose_file_mounts_it(string folder)
    {
        var manifests = await LoadAsync(folder);
        var compose = new ComposeText(await File.ReadAllTextAsync(DeploymentFiles.Compose));
        var mountPath = compose.Services["api"].Items("volumes").Select(v => v.Split(':')[^1]).Single(p => p.EndsWith("/media"));
        var claims = new HashSet<string>();
        foreach (var name in new[] { Api, Console })
        {
            var pod = manifests.Deployment(name).Spec.Template.Spec;
            var mount = Assert.Single(Container(manifests.Deployment(name).Spec.Template).VolumeMounts, m => m.MountPath == mountPath);
            Assert.NotEqual(true, mount.ReadOnlyProperty);
            claims.Add(pod.Volumes.Single(v => v.Name == mount.Name).PersistentVolumeClaim.ClaimName);
        }

        var claim = manifests.Named<V1PersistentVolumeClaim>(Assert.Single(claims));
        Assert.Contains("ReadWriteMany", claim.Spec.AccessModes);
        Assert.DoesNotContain(Container(manifests.Deployment(Silo).Spec.Template).VolumeMounts, m => m.MountPath == mountPath);
    }

    [Fact]
    public async Task The_example_ingress_terminates_TLS_streams_uploads_and_the_controller_logs_no_query_strings()
    {
        var manifests = await LoadAsync(Example);
        var ingress = Assert.Single(manifests.All<V1Ingress>());
        var host = Assert.Single(ingress.Spec.Rules).Host;
        Assert.Contains(host, Assert.Single(ingress.Spec.Tls).Hosts);
        Assert.True(HostAllowed(manifests.Value(Container(manifests.Deployment(Api).Spec.Template), "AllowedHosts")!, host), "the public host is not in AllowedHosts");
        var annotations = ingress.Metadata.Annotations;
        Assert.Equal("off", annotations["nginx.ingress.kubernetes.io/proxy-request-buffering"]);
        Assert.Equal("off", annotations["nginx.ingress.kubernetes.io/proxy-buffering"]);
        // Media:MaxUploadBytes defaults to 2 GiB: the edge must let such an upload through.
        var size = Regex.Match(annotations["nginx.ingress.kubernetes.io/proxy-body-size"], @"^(\d+)([kmg]?)$", RegexOptions.IgnoreCase);
        Assert.True(size.Success);
        var bytes = long.Parse(size.Groups[1].Value) * (size.Groups[2].Value.ToLowerInvariant() switch { "k" => 1L << 10, "m" => 1L << 20, "g" => 1L << 30, _ => 1 });
        Assert.True(bytes >= 2L << 30, $"proxy-body-size {bytes} is below 2 GiB");

        var logFormat = Assert.IsType<V1ConfigMap>(Assert.Single(LoadFile(System.IO.Path.Combine(KubernetesFolder, "overlays", "example", "ingress-nginx-log-format.yaml"))))
            .Data["log-format-upstream"];
        Assert.Contains("$uri", logFormat);
        Assert.DoesNotMatch(@"\$(request|request_uri|args|query_string|arg_\w+)\b", logFormat);
    }

    private static IEnumerable<string> SecretItems(V1PodTemplateSpec template) =>
        template.Spec.Volumes.Where(v => v.Secret is not null).SelectMany(v => v.Secret.Items.Select(i => i.Key));

    private static V1PodTemplateSpec PodOf(KubernetesManifests manifests, string workload) =>
        manifests.PodTemplates().Single(t => t.Workload == workload).Template;

    /// <summary>
    /// The peers allowed into a workload's pods on a port, over every ingress policy selecting them (an empty
    /// <c>from</c> or <c>ports</c> would mean everyone or every port, reported as such).
    /// </summary>
    private static List<Peer> AllowedFrom(KubernetesManifests manifests, string workload, int port)
    {
        var labels = PodOf(manifests, workload).Metadata.Labels;
        var container = Container(PodOf(manifests, workload));
        var peers = new List<Peer>();
        foreach (var policy in manifests.All<V1NetworkPolicy>().Where(p => p.Spec.PolicyTypes.Contains("Ingress") && SelectsPod(p.Spec.PodSelector, labels)))
        {
            foreach (var rule in policy.Spec.Ingress ?? [])
            {
                if (rule.Ports is not null && !rule.Ports.Any(p => ResolvePort(container, p.Port) == port))
                {
                    continue;
                }

                Assert.True(rule.Ports is not null, $"{policy.Metadata.Name}: a rule open on every port");
                Assert.True(rule.FromProperty is { Count: > 0 }, $"{policy.Metadata.Name}: a rule open to every source");
                peers.AddRange(rule.FromProperty.Select(Peer.Of));
            }
        }

        return peers;
    }

    private static bool EgressAllowed(KubernetesManifests manifests, string workload, int port)
    {
        var labels = PodOf(manifests, workload).Metadata.Labels;
        return manifests.All<V1NetworkPolicy>()
            .Where(p => p.Spec.PolicyTypes.Contains("Egress") && SelectsPod(p.Spec.PodSelector, labels))
            .SelectMany(p => p.Spec.Egress ?? [])
            .Any(rule => rule.Ports?.Any(p => p.Port.Value == port.ToString()) ?? true);
    }

    /// <summary>A policy's pod selector: empty selects every pod of the namespace.</summary>
    private static bool SelectsPod(V1LabelSelector selector, IDictionary<string, string> labels) =>
        selector.MatchLabels is null && selector.MatchExpressions is null || Selects(selector, labels);

    private sealed record Peer(string Kind, string Selector) : IComparable<Peer>
    {
        public static Peer Namespace(string name) => new("namespace", $"kubernetes.io/metadata.name={name}");

        public static Peer Pods(string selector) => new("pods", selector);

        public static Peer Of(V1NetworkPolicyPeer peer)
        {
            Assert.Null(peer.IpBlock); // nothing reaches the pods by address: only labelled pods and namespaces
            Assert.False(peer.NamespaceSelector is not null && peer.PodSelector is not null, "a peer combining both selectors");
            var selector = Assert.IsType<V1LabelSelector>(peer.NamespaceSelector ?? peer.PodSelector);
            Assert.Null(selector.MatchExpressions);
            Assert.NotNull(selector.MatchLabels);
            var text = string.Join(",", selector.MatchLabels.OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}"));
            return new(peer.NamespaceSelector is not null ? "namespace" : "pods", text);
        }

        public int CompareTo(Peer? other) => string.CompareOrdinal($"{Kind}:{Selector}", other is null ? null : $"{other.Kind}:{other.Selector}");
    }
}
