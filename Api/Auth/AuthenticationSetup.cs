using System.Security.Cryptography;
using Learning.Api.Http;
using Learning.Common;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Learning.Api.Auth;

public static class AuthenticationSetup
{
    public const string AdminPolicy = "admins-only";

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

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>>((bearer, jwtOptions) =>
            {
                var jwt = jwtOptions.Value;
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Issuer,
                    ValidAudience = jwt.Audience,
                    IssuerSigningKey = AccessTokenIssuer.SigningKey(jwt),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = ClaimNames.UserId,
                    RoleClaimType = ClaimNames.Role,
                };
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
            });

        // Every signed-in route checks the token's family against the caller's grain (see LiveCallerHandler).
        services.AddSingleton<IAuthorizationHandler, LiveCallerHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, LiveCallerResultHandler>();
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser()
                .AddRequirements(new LiveCallerRequirement(AdminOnly: false)).Build())
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().AddRequirements(new LiveCallerRequirement(AdminOnly: true)));
        return services;
    }
}
