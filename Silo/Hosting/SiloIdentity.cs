using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Learning.Silo.Hosting;

/// <summary>
/// What <c>--check</c> prints after the problems: the name, addresses and cluster this silo would join with, as
/// Orleans resolved them (after the Kubernetes package's own configuration), so an operator sees what a pod would
/// advertise before it joins anything.
/// </summary>
public static class SiloIdentity
{
    public static string Describe(IServiceProvider services, KubernetesHosting kubernetes)
    {
        var silo = services.GetRequiredService<IOptions<SiloOptions>>().Value;
        var endpoints = services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        var cluster = services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        return string.Join('\n',
            $"silo-name: {silo.SiloName}",
            $"advertised: {endpoints.AdvertisedIPAddress}:{endpoints.SiloPort}",
            $"gateway: {endpoints.AdvertisedIPAddress}:{endpoints.GatewayPort}",
            $"listening: {endpoints.SiloListeningEndpoint?.ToString() ?? "advertised"}, gateway {endpoints.GatewayListeningEndpoint?.ToString() ?? "advertised"}",
            $"cluster-id: {cluster.ClusterId}",
            $"service-id: {cluster.ServiceId}",
            $"kubernetes-hosting: {(kubernetes.Enabled ? "on" : "off")}");
    }
}
