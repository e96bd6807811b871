using Learning.Api.Auth;
using Serilog;

namespace Learning.Api.Http;

public static class RequestLogging
{
    /// <summary>
    /// One line per request: method, route template (never the raw URL, whose query may carry signatures), status,
    /// elapsed ms, user id and the request id echoed as <c>X-Request-Id</c>. Bodies and headers are never logged.
    /// </summary>
    public static IApplicationBuilder UseLearningRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // This host's logger, not Serilog's static one, which another host in the same process may have replaced.
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = "HTTP {RequestMethod} {Route} responded {StatusCode} in {Elapsed:0.0} ms";
            options.EnrichDiagnosticContext = (diagnostics, http) =>
            {
                diagnostics.Set("Route", (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)");
                diagnostics.Set("RequestId", http.TraceIdentifier);
                diagnostics.Set("UserId", http.User.FindFirst(ClaimNames.UserId)?.Value);
            };
        });
}
