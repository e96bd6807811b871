using Learning.Api.Auth;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.FileProviders;
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
        });
        services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(ConsoleSession.Scheme)
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

        // Only the console's own files: the rest of wwwroot belongs to other features.
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = "/console",
            FileProvider = new PhysicalFileProvider(Path.Combine(app.Environment.WebRootPath, "console")),
        });
        app.MapRazorPages().WithMetadata(ConsoleSessionEndpoint.CookieOnly).ExcludeFromDescription();
        return app;
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
