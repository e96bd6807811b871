using Learning.Api.Media;
using Microsoft.Extensions.Options;

namespace Learning.Api.Learn;

/// <summary>
/// The learner page at <c>/learn</c>: static HTML, JavaScript and CSS from <c>wwwroot/learn</c> that call the REST API
/// with bearer tokens, as the original web client did. Served in Development, elsewhere only with <c>Learn:Enabled</c>.
/// </summary>
public static class LearnPage
{
    public const string Path = "/learn";
    private const string EnabledKey = "Learn:Enabled";

    /// <summary>
    /// Before routing: the files are answered here and never reach the rate limiter, whose anonymous quota (100 an hour
    /// per address) a few page loads behind one NAT would use up. API calls the page makes are limited as any client's.
    /// </summary>
    public static WebApplication UseLearnPage(this WebApplication app)
    {
        if (!app.Configuration.GetValue(EnabledKey, app.Environment.IsDevelopment()))
        {
            return app;
        }

        // Read at the first request: the options are validated when the host starts, after this runs.
        string? policy = null;
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), branch =>
        {
            branch.Use((context, next) =>
            {
                // /learn and /learn/ are the page itself; its links to scripts and styles are absolute.
                if (context.Request.Path.Value is Path or Path + "/")
                {
                    context.Request.Path = Path + "/index.html";
                }

                return next(context);
            });
            branch.UseStaticFiles(new StaticFileOptions
            {
                OnPrepareResponse = file =>
                {
                    var headers = file.Context.Response.Headers;
                    policy ??= ContentSecurityPolicy(file.Context.RequestServices.GetRequiredService<IOptions<MediaOptions>>().Value);
                    headers.ContentSecurityPolicy = policy;
                    // Revalidated on every load (the ETag makes that cheap), so a deployment's new script is used at once.
                    headers.CacheControl = "no-cache";
                },
            });
        });
        return app;
    }

    /// <summary>
    /// Only this origin's scripts, styles, API and media; media may also come from <c>Media:PublicBaseUrl</c> when the
    /// signed URLs point at a CDN. No inline script or style, no framing, no plugins.
    /// </summary>
    private static string ContentSecurityPolicy(MediaOptions media)
    {
        var mediaSources = media.PublicBaseUrl is { Length: > 0 } baseUrl && Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri)
            ? $"'self' {uri.GetLeftPart(UriPartial.Authority)}"
            : "'self'";
        return $"default-src 'self'; media-src {mediaSources}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }
}
