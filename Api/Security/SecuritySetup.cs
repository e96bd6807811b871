using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Learning.Api.Auth;
using Learning.Api.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Learning.Api.Security;

public static class SecuritySetup
{
    public const string SignInPolicy = "sign-in";
    public const string CorsPolicy = "browsers";

    public static IServiceCollection AddLearningSecurity(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();

        // AllowedHosts "*" lets any Host header through, which host-header attacks (poisoned links in emails) rely on.
        services.AddOptions<Microsoft.AspNetCore.HostFiltering.HostFilteringOptions>()
            .Validate(options => environment.IsDevelopment() || !options.AllowedHosts.Contains("*"),
                "AllowedHosts must list this service's host names outside Development (it is '*').")
            .ValidateOnStart();

        // The Server header only tells scanners which exploits to try.
        services.Configure<KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);

        services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });

        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<SecurityOptions>>((forwarded, security) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default; only what is configured may speak for a client
            // (and with nothing configured the middleware is left out, see UseTrustedForwardedHeaders).
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in security.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in security.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });

        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<SecurityOptions>>((cors, security) =>
            cors.AddPolicy(CorsPolicy, policy =>
            {
                var allowed = security.Value.CorsOrigins.Select(o => o.TrimEnd('/')).ToHashSet(StringComparer.OrdinalIgnoreCase);
                policy.SetIsOriginAllowed(origin => allowed.Contains(origin) || (environment.IsDevelopment() && IsLocalhost(origin)))
                    .WithMethods("GET", "POST", "DELETE")
                    .WithHeaders("Authorization", "Content-Type", "X-Request-Id")
                    .WithExposedHeaders("X-Request-Id", "Retry-After")
                    .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
            }));

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limitOptions) =>
        {
            var limits = limitOptions.Value;
            limiter.OnRejected = async (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter =
                        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await ApiProblem.ForStatusCode(StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext);
            };
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!limits.Enabled || IsExempt(context.Request.Path))
                {
                    return RateLimitPartition.GetNoLimiter("exempt");
                }

                // A bearer token must not lift the anonymous quota of the sign-in routes: any account's token would.
                return context.User.FindFirst(ClaimNames.UserId)?.Value is { } userId && !IsSignIn(context)
                    ? FixedWindow($"user:{userId}", limits.AuthenticatedPermits, limits.AuthenticatedWindow)
                    : FixedWindow($"ip:{ClientIp(context)}", limits.AnonymousPermits, limits.AnonymousWindow);
            });
            limiter.AddPolicy(SignInPolicy, context => limits.Enabled
                ? FixedWindow($"sign-in:{ClientIp(context)}", limits.SignInPermits, limits.SignInWindow)
                : RateLimitPartition.GetNoLimiter("disabled"));
        });
        return services;
    }

    /// <summary>
    /// Believes X-Forwarded-* only when proxies are configured: with empty lists ASP.NET Core would believe
    /// anyone, so without configured proxies the middleware is not used at all.
    /// </summary>
    public static WebApplication UseTrustedForwardedHeaders(this WebApplication app)
    {
        var security = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        if (security.KnownProxies.Length > 0 || security.KnownNetworks.Length > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    public static WebApplication UseLearningSecurity(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.RequireHttps ?? !app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        return app;
    }

    /// <summary>
    /// Not metered: probes and scrapers poll, players fetch many ranges of one signed URL, and the admin-only dashboard
    /// polls every second. Stripe's webhook is authenticated by its signature and comes in bursts from few addresses.
    /// </summary>
    private static bool IsExempt(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics") || path.StartsWithSegments("/media")
        || path.StartsWithSegments("/dashboard") || path.StartsWithSegments(Billing.BillingEndpoints.WebhookPath);

    private static RateLimitPartition<string> FixedWindow(string key, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        });

    private static string ClientIp(HttpContext context) => ClientPartition.Of(context.Connection.RemoteIpAddress);

    private static bool IsSignIn(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == SignInPolicy;

    private static bool IsLocalhost(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && (uri.IsLoopback || uri.Host == "localhost");
}
