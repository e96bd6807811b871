using System.Text.RegularExpressions;

namespace Learning.Api.Http;

public static partial class HttpPipelineExtensions
{
    /// <summary>
    /// The original clients send <c>/api/devices/register/</c>; answering it directly (not with a redirect)
    /// keeps POST bodies intact. Must run before routing.
    /// </summary>
    public static IApplicationBuilder UseTrailingSlashTolerance(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var path = context.Request.Path.Value;
            // Only the contract's routes: the dashboard and docs pages link relative to their trailing slash.
            if (path is { Length: > 1 } && path[^1] == '/' && !IsOperatorPage(context.Request.Path))
            {
                context.Request.Path = new PathString(path.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/");
            }

            return next(context);
        });

    /// <summary>
    /// Headers every response carries, and the request id: the caller's <c>X-Request-Id</c> when it is
    /// sane, otherwise ours, echoed back and used as the trace identifier in logs.
    /// </summary>
    public static IApplicationBuilder UseStandardResponseHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var incoming = context.Request.Headers["X-Request-Id"].ToString();
            var requestId = incoming.Length is > 0 and <= 128 && SafeRequestId().IsMatch(incoming) ? incoming : Guid.NewGuid().ToString("N");
            context.TraceIdentifier = requestId;
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers["X-Request-Id"] = requestId;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers["Permissions-Policy"] = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), microphone=(), payment=(), usb=()";
                // The API serves data, never pages to render: nothing may load, frame or run. The two operator pages
                // (interactive docs, dashboard) need scripts and styles, so they go without; the account pages set
                // a policy of their own.
                if (!IsOperatorPage(context.Request.Path) && string.IsNullOrEmpty(headers.ContentSecurityPolicy))
                {
                    headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
                }
                return Task.CompletedTask;
            });
            return next(context);
        });

    private static bool IsOperatorPage(PathString path) => path.StartsWithSegments("/docs") || path.StartsWithSegments("/dashboard");

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex SafeRequestId();
}
