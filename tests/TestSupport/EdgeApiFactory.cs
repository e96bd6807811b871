namespace Learning.TestSupport;

/// <summary>
/// The API's public edge as an operator sets it up: /metrics only on an internal host and only for admins, and one
/// reverse proxy whose X-Forwarded-For is believed. One host for both (each host costs about a CPU-second to start):
/// the metrics tests send no forwarded header, and the proxy tests never ask for metrics. Its console is off, as on
/// every public replica.
/// </summary>
public sealed class EdgeApiFactory : LearningApiFactory
{
    public const string MetricsHost = "localhost:9464";
    public const string Proxy = "10.0.0.1";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Metrics:RequireHost", "*:9464"),
        new("Metrics:RequireAdmin", "true"),
        new("Security:KnownProxies:0", Proxy),
        // A public replica: the operator console is served by an internal instance only (docs/console.md).
        new("Console:Enabled", "false"),
    ];
}
