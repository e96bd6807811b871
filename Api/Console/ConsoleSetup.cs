using Learning.Api.Audit;
using Learning.Api.Auth;
using Learning.Api.Http;
using Learning.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace Learning.Api.OperatorConsole;

/// <summary>
/// The operator console: Razor Pages under <c>Api/Console</c> (routes <c>/console/…</c>), its cookie session and its
/// own strict content security policy. With <c>Console:Enabled</c> off none of it is registered or mapped.
/// </summary>
public static class ConsoleSetup
{
    /// <summary>Every console page but sign-in requires it (folder convention): a live console session of an admin.</summary>
    public const string AdminPolicy = "console-admins";

    public const string SignInPath = "/console/signin";

    /// <summary>Scripts, styles, images and forms from this host only; no inline script or style; never framed.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    public static WebApplicationBuilder AddLearningConsole(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConsoleOptions>, ConsoleOptionsValidator>();
        if (!ConsoleOptions.IsEnabled(builder.Configuration, builder.Environment))
        {
            return builder;
        }

        var development = builder.Environment.IsDevelopment();
        services.AddAuthentication().AddCookie(ConsoleSession.Scheme, cookie =>
        {
            cookie.Cookie.Name = ConsoleSession.CookieName;
            // The Dashboard at /dashboard opens with this session too.
            cookie.Cookie.Path = "/";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            cookie.SlidingExpiration = false;
            cookie.LoginPath = SignInPath;
            cookie.AccessDeniedPath = SignInPath;
            cookie.ReturnUrlParameter = "return_url";
            // A browser opening a page is sent to sign in; a script or API client gets the API's problem answer.
            cookie.Events.OnRedirectToLogin = context => WantsPage(context.Request)
                ? RedirectAsync(context)
                : ApiProblem.Create(StatusCodes.Status401Unauthorized, ErrorCodes.NotAuthenticated, "Authentication is required.").ExecuteAsync(context.HttpContext);
            cookie.Events.OnRedirectToAccessDenied = context => WantsPage(context.Request)
                ? RedirectAsync(context)
                : ApiProblem.ForStatusCode(StatusCodes.Status403Forbidden).ExecuteAsync(context.HttpContext);
        });
        services.AddOptions<CookieAuthenticationOptions>(ConsoleSession.Scheme)
            .Configure<IOptions<ConsoleOptions>>((cookie, console) => cookie.ExpireTimeSpan = console.Value.SessionLifetime);
        services.AddAuthorizationBuilder().AddPolicy(AdminPolicy, policy =>
            policy.RequireAuthenticatedUser().AddRequirements(new LiveCallerRequirement(AdminOnly: true)));
        services.AddRazorPages(pages =>
        {
            pages.RootDirectory = "/Console";
            pages.Conventions.AuthorizeFolder("/", AdminPolicy);
            pages.Conventions.AllowAnonymousToPage("/SignIn");
            pages.Conventions.ConfigureFilter(new ConsoleResponseHeaders());
        });
        return builder;
    }

    public static WebApplication MapLearningConsole(this WebApplication app)
    {
        if (!ConsoleOptions.IsEnabled(app.Configuration, app.Environment))
        {
            return app;
        }

        // Only the console's own files: the rest of wwwroot belongs to other features. Through the web root's provider,
        // not a path: a host started outside the project folder has no WebRootPath, only the static web assets manifest.
        app.UseWhen(context => context.Request.Path.StartsWithSegments(ConsolePaths.Home), console => console.UseStaticFiles());
        app.MapRazorPages().WithMetadata(ConsoleSessionEndpoint.CookieOnly).ExcludeFromDescription();
        // The audit page's CSV link: the export route's own streaming, with the console's session instead of a bearer.
        app.MapGet(ConsolePaths.AuditExport, AuditEndpoints.Export)
            .RequireAuthorization(AdminPolicy).WithMetadata(ConsoleSessionEndpoint.CookieOnly).ExcludeFromDescription();
        return app;
    }

    private static bool WantsPage(HttpRequest request) =>
        request.Headers.Accept.Any(accept => accept?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    private static Task RedirectAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>The console's own policy instead of the API's deny-all one, and no caching of operator pages.</summary>
    private sealed class ConsoleResponseHeaders : IPageFilter
    {
        public void OnPageHandlerSelected(PageHandlerSelectedContext context)
        {
        }

        public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
        {
            var headers = context.HttpContext.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.CacheControl = "no-store";
        }

        public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
        {
        }
    }
}
