using Microsoft.Extensions.Options;

namespace Learning.Api.Security;

/// <summary>Transport and browser security (section <c>Security</c>).</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Redirect HTTP to HTTPS and send HSTS (1 year, subdomains). Unset means: everywhere but Development.</summary>
    public bool? RequireHttps { get; set; }

    /// <summary>Origins browsers may call from, e.g. <c>https://app.example.com</c>. In Development any localhost origin is allowed too.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>Proxies whose <c>X-Forwarded-For</c>/<c>-Proto</c> are believed (IP addresses); nobody else's are.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form, e.g. <c>10.0.0.0/8</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var problems = new List<string>();
        foreach (var origin in options.CorsOrigins)
        {
            if (origin == "*" || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                problems.Add($"Security:CorsOrigins entry '{origin}' must be an origin such as https://app.example.com ('*' is never allowed).");
            }
        }

        problems.AddRange(options.KnownProxies.Where(p => !System.Net.IPAddress.TryParse(p, out _))
            .Select(p => $"Security:KnownProxies entry '{p}' is not an IP address."));
        problems.AddRange(options.KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _))
            .Select(n => $"Security:KnownNetworks entry '{n}' is not a CIDR network."));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>Request quotas (section <c>RateLimits</c>); windows are fixed and per partition.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Requests per client without a valid token, and on the sign-in routes whatever the token; a client is its IPv4
    /// address or its IPv6 /64 (<see cref="ClientPartition"/>).
    /// </summary>
    public int AnonymousPermits { get; set; } = 100;

    public TimeSpan AnonymousWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Requests per signed-in user.</summary>
    public int AuthenticatedPermits { get; set; } = 1000;

    public TimeSpan AuthenticatedWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Register, login and refresh per client IP, on top of the limits above.</summary>
    public int SignInPermits { get; set; } = 60;

    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);
}

internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var problems = new List<string>();
        foreach (var (permits, window, label) in new[]
                 {
                     (options.AnonymousPermits, options.AnonymousWindow, "Anonymous"),
                     (options.AuthenticatedPermits, options.AuthenticatedWindow, "Authenticated"),
                     (options.SignInPermits, options.SignInWindow, "SignIn"),
                 })
        {
            if (permits < 1)
            {
                problems.Add($"RateLimits:{label}Permits must be at least 1.");
            }

            if (window < TimeSpan.FromSeconds(1))
            {
                problems.Add($"RateLimits:{label}Window must be at least 1 second.");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
