using System.Security.Cryptography;
using Learning.Api.Http;
using Learning.Common;
using Learning.Hosting;
using Learning.Playback;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Learning.Api.Auth;

public static class AuthenticationSetup
{
    public const string AdminPolicy = "admins-only";

    /// <summary>Picks one of the two bearer schemes below by route.</summary>
    private const string BearerByRouteScheme = "BearerByRoute";

    /// <summary>The bearer scheme of heartbeat and end: see <see cref="AcceptRecentlyExpiredToken{TBuilder}"/>.</summary>
    private const string InSessionBearerScheme = "BearerInSession";

    /// <summary>
    /// In Development an unset key becomes a random one for this process (tokens die with it), so a fresh
    /// clone runs without secrets; everywhere else the options validator refuses to start without a key.
    /// </summary>
    public static bool EnsureDevelopmentKey(this WebApplicationBuilder builder, string settingName)
    {
        if (!builder.Environment.IsDevelopment() || !string.IsNullOrEmpty(builder.Configuration[settingName]))
        {
            return false;
        }

        builder.Configuration[settingName] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        return true;
    }

    public static IServiceCollection AddLearningAuthentication(this IServiceCollection services)
    {
        services.AddOptions<JwtOptions>().BindConfiguration(JwtOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JwtOptions>, JwtOptionsValidator>();
        services.AddSingleton<AccessTokenIssuer>();

        // Heartbeat and end take tokens that expired less than a session's lifetime ago (clients never refresh
        // mid-lesson); every other route takes live tokens only. The console's pages (and the Dashboard without a
        // bearer header) take its cookie. The route's metadata picks the scheme.
        services.AddAuthentication(BearerByRouteScheme)
            .AddPolicyScheme(BearerByRouteScheme, null, scheme => scheme.ForwardDefaultSelector = http =>
                ConsoleSession.Applies(http) ? ConsoleSession.Scheme
                : http.GetEndpoint()?.Metadata.GetMetadata<AcceptsRecentlyExpiredToken>() is null
                    ? JwtBearerDefaults.AuthenticationScheme
                    : InSessionBearerScheme)
            .AddJwtBearer()
            .AddJwtBearer(InSessionBearerScheme);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>, IServiceProvider>((bearer, jwt, provider) =>
                Configure(bearer, jwt.Value, provider.GetRequiredKeyedService<TimeProvider>(Clock.ServiceKey), TimeSpan.Zero));
        services.AddOptions<JwtBearerOptions>(InSessionBearerScheme)
            .Configure<IOptions<JwtOptions>, IOptions<PlaybackOptions>, IServiceProvider>((bearer, jwt, playback, provider) =>
                Configure(bearer, jwt.Value, provider.GetRequiredKeyedService<TimeProvider>(Clock.ServiceKey), playback.Value.SessionLifetime));

        // Every signed-in route checks the token's family against the caller's grain (see LiveCallerHandler).
        services.AddSingleton<IAuthorizationHandler, LiveCallerHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, LiveCallerResultHandler>();
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser()
                .AddRequirements(new LiveCallerRequirement(AdminOnly: false)).Build())
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().AddRequirements(new LiveCallerRequirement(AdminOnly: true)));
        return services;
    }

    /// <summary>Lets the route accept an access token expired less than <c>Playback:SessionLifetime</c> ago.</summary>
    public static TBuilder AcceptRecentlyExpiredToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(AcceptsRecentlyExpiredToken.Instance);

    /// <summary>
    /// How an access token is validated (the benchmarks measure exactly this). Lifetime is checked against the business
    /// clock (tests move it) and allows <paramref name="afterExpiry"/> past <c>exp</c>; everything else is the same for
    /// both schemes.
    /// </summary>
    public static TokenValidationParameters TokenValidation(JwtOptions jwt, TimeProvider clock, TimeSpan afterExpiry) => new()
    {
        ValidIssuer = jwt.Issuer,
        ValidAudience = jwt.Audience,
        IssuerSigningKeys = AccessTokenIssuer.ValidationKeys(jwt).ToList(),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        LifetimeValidator = (notBefore, expires, _, parameters) =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            return expires is { } expiry && now < expiry + afterExpiry + parameters.ClockSkew
                && (notBefore is not { } start || start <= now + parameters.ClockSkew);
        },
        NameClaimType = ClaimNames.UserId,
        RoleClaimType = ClaimNames.Role,
    };

    private static void Configure(JwtBearerOptions bearer, JwtOptions jwt, TimeProvider clock, TimeSpan afterExpiry)
    {
        bearer.MapInboundClaims = false;
        bearer.TokenValidationParameters = TokenValidation(jwt, clock, afterExpiry);
        bearer.Events = new JwtBearerEvents
        {
            OnChallenge = async context =>
            {
                context.HandleResponse();
                await ApiProblem.Create(StatusCodes.Status401Unauthorized, ErrorCodes.NotAuthenticated,
                    "Authentication is required: send a valid access token as `Authorization: Bearer <token>`.").ExecuteAsync(context.HttpContext);
            },
            OnForbidden = context => ApiProblem.ForStatusCode(StatusCodes.Status403Forbidden).ExecuteAsync(context.HttpContext),
        };
    }

    /// <summary>Route metadata: see <see cref="AcceptRecentlyExpiredToken{TBuilder}"/>.</summary>
    public sealed class AcceptsRecentlyExpiredToken
    {
        public static readonly AcceptsRecentlyExpiredToken Instance = new();

        private AcceptsRecentlyExpiredToken()
        {
        }
    }
}
