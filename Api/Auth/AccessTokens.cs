using System.Security.Claims;
using System.Text;
using Learning.Accounts;
using Learning.Common;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Learning.Api.Auth;

/// <summary>The contract's token pair.</summary>
public sealed record TokenPair(string Access, string Refresh, string TokenType, int ExpiresIn);

/// <summary>Mints access tokens for the grants the user's grain hands out; the grains never see the signing key.</summary>
public sealed class AccessTokenIssuer(IOptions<JwtOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    public TokenPair Issue(TokenGrant grant)
    {
        var jwt = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + jwt.AccessTokenLifetime,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = grant.UserId.ToString(),
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
                [JwtRegisteredClaimNames.Sid] = grant.FamilyId.ToString(),
                [AccessTokenClaims.Role] = grant.Role.WireName(),
            },
            SigningCredentials = new SigningCredentials(SigningKey(jwt), SecurityAlgorithms.HmacSha256),
        });
        return new TokenPair(token, grant.RefreshToken, "Bearer", (int)jwt.AccessTokenLifetime.TotalSeconds);
    }

    public static SymmetricSecurityKey SigningKey(JwtOptions jwt) => new(Encoding.UTF8.GetBytes(jwt.SigningKey));
}

public static class AccessTokenClaims
{
    public const string Role = "role";

    /// <summary>
    /// The caller as the grains need it. The bearer handler has already checked signature, lifetime, issuer and
    /// audience; claims that do not parse mean a token we did not mint, treated as unauthenticated.
    /// </summary>
    public static Caller? Caller(this HttpContext context)
    {
        var user = context.User;
        return Guid.TryParse(user.FindFirstValue(JwtRegisteredClaimNames.Sub), out var userId)
               && Guid.TryParse(user.FindFirstValue(JwtRegisteredClaimNames.Sid), out var familyId)
            ? new Caller(userId, familyId, context.Client())
            : null;
    }

    public static ClientInfo Client(this HttpContext context)
    {
        var userAgent = context.Request.Headers.UserAgent.ToString();
        return new ClientInfo(
            context.Connection.RemoteIpAddress?.ToString(),
            userAgent.Length > 512 ? userAgent[..512] : userAgent);
    }
}
