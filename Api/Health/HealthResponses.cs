namespace Learning.Api.Health;

/// <summary><c>GET /health/live</c>: the process runs.</summary>
public sealed record LivenessResponse(string Status);

/// <summary>
/// <c>GET /health/ready</c>: <c>healthy</c>, <c>degraded</c> or <c>unhealthy</c> overall and per dependency
/// (<c>database</c>, <c>redis</c>, <c>orleans</c>), <c>not_configured</c> for one this mode does not use.
/// </summary>
public sealed record ReadinessResponse(string Status, IReadOnlyDictionary<string, string> Checks);
